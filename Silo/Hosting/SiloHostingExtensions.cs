using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Payments.Grains;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Persistence;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Reminders;
using Payments.Infrastructure.Streams;
using Payments.Silo.Database;
using Payments.Silo.Health;

namespace Payments.Silo.Hosting;

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
