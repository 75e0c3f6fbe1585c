using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Payments.Grains;
using Orleans.Payments.Runtime.Cluster;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Persistence;
using Orleans.Payments.Silo.Database;
using Orleans.Payments.Silo.Health;

namespace Orleans.Payments.Silo.Hosting;

/// <summary>Composes a silo: PostgreSQL, schema, grain runtime with the payment grains, health endpoints.</summary>
public static class SiloHostingExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>Adds the silo's services. <paramref name="extraGrainAssemblies"/> lets tests and tools host their own grains beside the domain's.</summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder, string connectionString, params Assembly[] extraGrainAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "payments" }.Build());

        // Registration order is start order, and stop order reversed: the schema is current before anything runs,
        // the ledger writer stops after the runtime (calls in flight at shutdown still commit), and the silo leaves
        // the cluster last.
        services.AddHostedService<SchemaMigrationHostedService>();
        services.AddClusterMembership();
        services.AddPaymentsDomain();
        services.AddGrainRuntime(runtime => runtime
            .AddGrains(typeof(PaymentsGrains).Assembly)
            .AddGrains(extraGrainAssemblies)
            .AddGrainStorage<PostgresGrainStorage>());

        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag])
            .AddCheck<GrainRuntimeHealthCheck>("grain-runtime", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>GET /health/live (the process answers) and GET /health/ready (PostgreSQL reachable and runtime started).</summary>
    public static WebApplication MapSiloEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteHealthAsync });
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
