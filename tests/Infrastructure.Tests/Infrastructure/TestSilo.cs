using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Streams;
using Payments.TestSupport;

namespace Payments.Infrastructure.Tests.Infrastructure;

/// <summary>
/// A minimal in-process Orleans silo: localhost clustering on free ports, the outbox stream provider, and the grains of
/// this assembly. Stop it (or dispose it, which stops it first) before the test ends.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host, string clusterId, int siloPort)
    {
        _host = host;
        ClusterId = clusterId;
        SiloPort = siloPort;
    }

    public string ClusterId { get; }

    public int SiloPort { get; }

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Starts a silo on <paramref name="connectionString"/>'s database, alone or joining <paramref name="primary"/>'s
    /// cluster (localhost clustering keeps membership on the primary: stop the others first). Streams are read and
    /// retried fast so tests do not wait; <paramref name="streams"/> changes the rest.
    /// </summary>
    public static async Task<TestSilo> StartAsync(string connectionString, Action<StreamOptions>? streams = null, TestSilo? primary = null)
    {
        var clusterId = primary?.ClusterId ?? $"streams-{Guid.NewGuid():N}";
        var siloPort = LoopbackPort.Free();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPostgresDataSource(connectionString, "infrastructure-tests");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: siloPort,
                gatewayPort: LoopbackPort.Free(),
                primarySiloEndpoint: primary is null ? null : new IPEndPoint(IPAddress.Loopback, primary.SiloPort),
                clusterId: clusterId);
            silo.AddOutboxStreams();
            // Orleans also finds the domain grains this assembly references (through the test support project), and some
            // declare collection ages below Orleans' one-minute default quantum, which it refuses.
            silo.Configure<GrainCollectionOptions>(options => options.CollectionQuantum = TimeSpan.FromSeconds(1));
            silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
            silo.Services.Configure<StreamOptions>(options =>
            {
                options.PollInterval = TimeSpan.FromMilliseconds(20);
                options.RetryBackoff = TimeSpan.FromMilliseconds(10);
                options.MaxRetryBackoff = TimeSpan.FromMilliseconds(100);
                options.MaxDeliveryTime = TimeSpan.FromSeconds(10);
                streams?.Invoke(options);
            });
        });

        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, clusterId, siloPort);
    }

    /// <summary>Graceful shutdown: the pulling agents stop, then every activation deactivates.</summary>
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
