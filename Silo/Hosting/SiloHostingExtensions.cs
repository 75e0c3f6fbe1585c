using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Payments.Grains;
using Orleans.Payments.Runtime.Cluster;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Persistence;
using Orleans.Payments.Runtime.Postgres;
using Orleans.Payments.Runtime.Reminders;
using Orleans.Payments.Runtime.Streams;
using Orleans.Payments.Silo.Database;
using Orleans.Payments.Silo.Health;

namespace Orleans.Payments.Silo.Hosting;

/// <summary>Composes a silo: PostgreSQL, schema, cluster membership, grain runtime with the payment grains, health checks.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds the silo's services. <paramref name="extraGrainAssemblies"/> lets tests and tools host their own grains beside the domain's.</summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder, string connectionString, params Assembly[] extraGrainAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddPostgresDataSource(connectionString, "payments");

        // Registration order is start order, and stop order reversed: the schema is current before anything runs,
        // the ledger writer stops after the runtime (calls in flight at shutdown still commit), stream delivery stops
        // before it (no deliveries into deactivating grains), and the silo leaves the cluster last.
        services.AddHostedService<SchemaMigrationHostedService>();
        services.AddClusterMembership();
        services.AddPaymentsDomain();
        services.AddReminders();
        services.AddGrainRuntime(runtime => runtime
            .AddGrains(typeof(PaymentsGrains).Assembly)
            .AddGrains(extraGrainAssemblies)
            .AddGrainStorage<PostgresGrainStorage>());
        services.AddStreams();

        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<GrainRuntimeHealthCheck>("grain-runtime", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
