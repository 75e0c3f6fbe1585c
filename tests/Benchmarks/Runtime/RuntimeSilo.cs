using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Payments.Silo.Hosting;
using Payments.TestSupport;

namespace Payments.Benchmarks.Runtime;

/// <summary>
/// A plain Orleans silo in this process hosting the benchmark's grains, with localhost clustering and in-memory grain
/// storage. The runtime figures are Orleans' own: the project's silo would add PostgreSQL membership and the payment
/// domain's background work (outbox pulling agents, the ledger writer, reminders) to the two cores being measured,
/// and the pre-move figures were taken on the bare runtime with in-memory storage too.
/// </summary>
internal sealed class RuntimeSilo
{
    private readonly IHost _host;

    private RuntimeSilo(IHost host, IPEndPoint endpoint)
    {
        _host = host;
        Endpoint = endpoint;
    }

    /// <summary>Its silo-to-silo endpoint, which a second silo joins through.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Calls made through it start on this silo.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress Address => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <param name="primary">The first silo's <see cref="Endpoint"/> to join its cluster; null to start one.</param>
    public static async Task<RuntimeSilo> StartAsync(IPEndPoint? primary = null)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, LoopbackPort.Free());
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(endpoint.Port, LoopbackPort.Free(), primary ?? endpoint)
            .AddMemoryGrainStorage(IdleGrain.StorageName)
            // Orleans also finds the payment grains in the referenced assemblies; some limit their idle age below
            // Orleans' default collection quantum, which refuses to start, so this runs with the product silo's.
            .Configure<GrainCollectionOptions>(options => options.CollectionQuantum = new SiloRuntimeOptions().CollectionQuantum));
        var host = builder.Build();
        await host.StartAsync();
        return new RuntimeSilo(host, endpoint);
    }

    public async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
