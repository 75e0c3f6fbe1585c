using Orleans;
using Orleans.Runtime;

namespace Payments.Benchmarks.Runtime;

/// <summary>64 bytes of payload, the state size the activation-memory figure is stated for.</summary>
[GenerateSerializer]
public sealed class State64
{
    [Id(0)] public long A { get; set; }
    [Id(1)] public long B { get; set; }
    [Id(2)] public long C { get; set; }
    [Id(3)] public long D { get; set; }
    [Id(4)] public long E { get; set; }
    [Id(5)] public long F { get; set; }
    [Id(6)] public long G { get; set; }
    [Id(7)] public long H { get; set; }
}

[Alias("bench.IIdleGrain")]
public interface IIdleGrain : IGrainWithStringKey
{
    [Alias("Touch")]
    Task Touch();
}

/// <summary>A grain with persistent state that is activated once and then left idle: what an activation costs in memory.</summary>
public sealed class IdleGrain([PersistentState("state", IdleGrain.StorageName)] IPersistentState<State64> state) : Grain, IIdleGrain
{
    /// <summary>In-memory grain storage: the figure is the runtime's, not PostgreSQL's.</summary>
    public const string StorageName = "memory";

    public Task Touch()
    {
        state.State.A++;
        return Task.CompletedTask;
    }
}
