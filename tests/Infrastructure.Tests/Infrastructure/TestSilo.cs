using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Infrastructure.Activation;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Reminders;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.Transport;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Persistence;
using Payments.Infrastructure.Postgres;

namespace Payments.Infrastructure.Tests.Infrastructure;

/// <summary>An in-process silo: the grain runtime with the test grains and PostgreSQL grain storage.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host) => _host = host;

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    internal ActivationCatalog Catalog => _host.Services.GetRequiredService<ActivationCatalog>();

    internal MembershipService Membership => _host.Services.GetRequiredService<MembershipService>();

    internal SiloTransportServer Transport => _host.Services.GetRequiredService<SiloTransportServer>();

    /// <summary>Completes when the host has been asked to stop (by itself, e.g. when declared dead).</summary>
    public Task Stopping
    {
        get
        {
            var stopping = new TaskCompletionSource();
            _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
            return stopping.Task;
        }
    }

    /// <summary>
    /// Cluster settings for test silos: fast heartbeats and failure detection, with a death timeout a loaded CI machine
    /// cannot reach by stalling a healthy silo's heartbeats (1 s could: the silo was then declared dead and stopped).
    /// </summary>
    public static Action<ClusterOptions> Cluster(string clusterId, int siloPort) => options =>
    {
        options.ClusterId = clusterId;
        options.SiloPort = siloPort;
        options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
        options.DeathTimeout = TimeSpan.FromSeconds(5);
    };

    public static async Task<TestSilo> StartAsync(string connectionString, Action<GrainRuntimeOptions>? configure = null, Action<ClusterOptions>? cluster = null, bool transport = false, Action<StreamOptions>? streams = null, Action<ReminderOptions>? reminders = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPostgresDataSource(connectionString, "runtime-tests");
        builder.Services.AddGrainRuntime(runtime => runtime
            .AddGrains(typeof(TestSilo).Assembly)
            .AddGrainStorage<PostgresGrainStorage>());
        builder.Services.Configure<GrainRuntimeOptions>(options => configure?.Invoke(options));
        if (cluster is not null)
        {
            builder.Services.AddClusterMembership();
            builder.Services.Configure(cluster);
        }

        // Durable reminders, polled often so tests do not wait. A claimed one-shot is claimed again only after the retry
        // delay, so it stays long: a firing slower than it (a loaded machine) would fire twice.
        builder.Services.AddReminders();
        builder.Services.Configure<ReminderOptions>(options =>
        {
            options.PollInterval = TimeSpan.FromMilliseconds(100);
            options.OneShotRetryDelay = TimeSpan.FromSeconds(60);
            reminders?.Invoke(options);
        });

        // Durable streams, polled and retried fast so tests do not wait.
        builder.Services.AddStreams();
        builder.Services.Configure<StreamOptions>(options =>
        {
            options.PollInterval = TimeSpan.FromMilliseconds(200);
            options.LeaseCheckInterval = TimeSpan.FromMilliseconds(200);
            options.RetryBackoff = TimeSpan.FromMilliseconds(10);
            options.MaxRetryBackoff = TimeSpan.FromMilliseconds(50);
            streams?.Invoke(options);
        });

        if (transport)
        {
            builder.Services.AddSiloTransport();
            builder.Services.Configure<ClusterOptions>(options => options.SiloPort = 0);
        }

        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    /// <summary>Graceful shutdown: every activation deactivates (and writes what it writes in OnDeactivateAsync).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
