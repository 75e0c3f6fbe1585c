using Orleans;
using Orleans.Placement;

namespace Payments.Benchmarks.Runtime;

[Alias("bench.IPingGrain")]
public interface IPingGrain : IGrainWithStringKey
{
    // An int argument and result: Orleans copies neither (primitives are immutable), as [Immutable] contracts are not.
    [Alias("Ping")]
    Task<int> Ping(int value);
}

/// <summary>
/// The trivial grain whose calls the runtime benchmark counts. Placed on the silo that first calls it, so the cluster
/// benchmark puts grains on a chosen silo by activating them from there.
/// </summary>
[PreferLocalPlacement]
public sealed class PingGrain : Grain, IPingGrain
{
    private int _calls;

    public Task<int> Ping(int value)
    {
        _calls++;
        return Task.FromResult(value + _calls);
    }
}
