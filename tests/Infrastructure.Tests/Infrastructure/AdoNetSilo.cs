using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Placement;
using Payments.TestSupport;

namespace Payments.Infrastructure.Tests.Infrastructure;

/// <summary>
/// A minimal Orleans silo on the project's PostgreSQL schema: ADO.NET clustering, reminders and grain storage configured
/// as Silo/Hosting/SiloHostingExtensions.cs does (invariant "Npgsql", System.Text.Json state, one-second reminder floor,
/// the user-affinity placement director), on explicit free ports, hosting the grains of this assembly. None of the
/// payment domain's services run, so the test grains exercise the providers alone. Stop it before disposing.
/// </summary>
public sealed class AdoNetSilo : IAsyncDisposable
{
    /// <summary>The grain storage the silo registers under the name the real silo uses.</summary>
    public const string StorageName = "payments";

    /// <summary>A second ADO.NET grain storage that deletes the row on clear (the provider's DeleteStorageKey query).</summary>
    public const string DeletingStorageName = "payments-delete-on-clear";

    private readonly IHost _host;
    private bool _stopped;

    private AdoNetSilo(IHost host, string clusterId)
    {
        _host = host;
        ClusterId = clusterId;
    }

    public string ClusterId { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress SiloAddress => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public IManagementGrain Management => GrainFactory.GetGrain<IManagementGrain>(0);

    public static async Task<AdoNetSilo> StartAsync(string connectionString, string clusterId, string serviceId = PaymentsClusterOptions.ServiceId)
    {
        NpgsqlAdoNetProvider.Register();
        var siloPort = LoopbackPort.Free();
        var gatewayPort = LoopbackPort.Free();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
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
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.AddAdoNetGrainStorage(StorageName, options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(DeletingStorageName, options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = connectionString;
                options.DeleteStateOnClear = true;
            });
            silo.Services.AddPlacementDirector<UserAffinityPlacement, UserAffinityPlacementDirector>();
            silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            // The domain grains (found through the referenced assemblies) declare collection ages below Orleans' default quantum.
            silo.Configure<GrainCollectionOptions>(options => options.CollectionQuantum = TimeSpan.FromSeconds(1));
            // As Silo/Hosting/MembershipTuning.cs: a silo that stops gracefully leaves at once anyway.
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.MaxProbeTimeout = TimeSpan.FromSeconds(2);
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new AdoNetSilo(host, clusterId);
    }

    /// <summary>
    /// An Orleans client (as the separate front end is) that finds the cluster's gateways in the membership table.
    /// Stop it before disposing.
    /// </summary>
    public static async Task<IHost> StartClientAsync(string connectionString, string clusterId, string serviceId = PaymentsClusterOptions.ServiceId)
    {
        NpgsqlAdoNetProvider.Register();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = connectionString;
            });
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
            client.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>Graceful shutdown: the silo deactivates its grains and marks itself dead in the membership table.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
