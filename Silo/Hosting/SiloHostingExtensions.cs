using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Serialization;
using Payments.Grains;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Placement;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Streams;
using Payments.Silo.Database;
using Payments.Silo.Health;

namespace Payments.Silo.Hosting;

/// <summary>Composes a silo: PostgreSQL and its schema, the payment domain, and Orleans over the same database.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The ADO.NET grain storage of grains that keep Orleans-managed state (and of Orleans transactions).</summary>
    public const string GrainStorageName = PaymentsGrains.GrainStorageName;

    /// <summary>Adds the silo's services. <paramref name="extraGrainAssemblies"/> lets tests and tools host their own grains beside the domain's.</summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder, string connectionString, params Assembly[] extraGrainAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddPostgresDataSource(connectionString, "payments");
        WebhookSecretKeyFile.AddIfUnset(builder.Configuration);

        // Hosted services start in registration order: the schema (Orleans' own tables included) is current before the
        // silo starts, and the silo (UseOrleans) stops before anything registered ahead of it.
        services.AddHostedService<SchemaMigrationHostedService>();
        services.AddPaymentsDomain();

        var cluster = builder.Configuration.GetSection(PaymentsClusterOptions.SectionName).Get<PaymentsClusterOptions>() ?? new PaymentsClusterOptions();
        var runtime = SiloRuntimeOptions.Read(builder.Configuration);
        NpgsqlAdoNetProvider.Register();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = PaymentsClusterOptions.ServiceId;
            });
            silo.ConfigureEndpoints(cluster.AdvertisedHost, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = connectionString;
            });
            // Stored state is JSON without CLR type names (Orleans' default embeds them), so renaming a type keeps its state readable.
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.AddAdoNetGrainStorage(GrainStorageName, options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = connectionString;
            });
            // Orleans Transactions reserve an order's stock across its products' grains (their state in the grain storage above).
            silo.UseTransactions();
            silo.AddOutboxStreams();
            silo.Services.AddPlacementDirector<UserAffinityPlacement, UserAffinityPlacementDirector>();
            silo.Services.AddSerializer(serializer =>
            {
                // Notification and stream payloads are JSON documents; everything else has generated codecs.
                serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement));
                foreach (var assembly in extraGrainAssemblies)
                {
                    serializer.AddAssembly(assembly);
                }
            });
            silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = runtime.CallTimeout);
            silo.Configure<GrainCollectionOptions>(options =>
            {
                options.CollectionAge = runtime.CollectionAge;
                options.CollectionQuantum = runtime.CollectionQuantum;
            });
            // Orleans' floor is a minute; the domain's options set their own floors (payout and settle retries from 1 s).
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
            silo.Configure<SiloMessagingOptions>(options => options.MaxEnqueuedRequestsHardLimit = runtime.MaxQueuedRequestsPerActivation);
            silo.Configure<GrainDirectoryOptions>(options => options.CacheSize = runtime.DirectoryCacheSize);
            silo.Services.AddSingleton<IFatalErrorHandler, FencingFatalErrorHandler>();
            silo.AddDashboard(options =>
            {
                options.HideTrace = true;
                options.CounterUpdateIntervalMs = (int)runtime.DashboardSampleInterval.TotalMilliseconds;
            });
        });

        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
