using Microsoft.Extensions.Logging;
using Orleans;
using Payments.Grains.Interfaces.CardWallet;

namespace Payments.Grains.CardNetworks;

/// <summary>Sets a simulated network's injected failures (for every silo, through the faults table).</summary>
[GrainType("card-network-simulator")]
public sealed partial class CardNetworkSimulatorGrain(SimulatedNetworkFaults faults, ILogger<CardNetworkSimulatorGrain> logger) : Grain, ICardNetworkSimulatorGrain
{
    public async Task SetFaults(NetworkFaults injected)
    {
        ArgumentNullException.ThrowIfNull(injected);
        await faults.SetAsync(this.GetPrimaryKeyString(), injected);
        LogSet(logger, this.GetPrimaryKeyString(), injected.Latency.TotalMilliseconds, injected.ErrorRate, injected.Down);
    }

    [LoggerMessage(1, LogLevel.Warning, "Simulated {Network} network faults set: latency {LatencyMs} ms, error rate {ErrorRate}, down {Down}")]
    private static partial void LogSet(ILogger logger, string network, double latencyMs, double errorRate, bool down);
}
