using Orleans;

namespace Payments.Benchmarks.Runtime;

public interface IPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

public sealed class PingGrain : Grain, IPingGrain
{
    private int _calls;

    public Task<int> Ping(int value)
    {
        _calls++;
        return Task.FromResult(value + _calls);
    }
}

/// <summary>64 bytes of payload, the state size the activation-memory target is stated for.</summary>
public sealed class State64
{
    public long A { get; set; }
    public long B { get; set; }
    public long C { get; set; }
    public long D { get; set; }
    public long E { get; set; }
    public long F { get; set; }
    public long G { get; set; }
    public long H { get; set; }
}

public interface IIdleGrain : IGrainWithStringKey
{
    Task Touch();
}

public sealed class IdleGrain([PersistentState("state", "memory")] IPersistentState<State64> state) : Grain, IIdleGrain
{
    public Task Touch()
    {
        state.State.A++;
        return Task.CompletedTask;
    }
}
