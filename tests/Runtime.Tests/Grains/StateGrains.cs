namespace Orleans.Payments.Runtime.Tests.Grains;

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> Log { get; set; } = [];
}

/// <summary>A grain with persistent state; reports which activation served the call.</summary>
public interface IStatefulGrain : IGrainWithStringKey
{
    /// <summary>Sets the value and writes it.</summary>
    Task<string> Set(int value);

    /// <summary>Sets the value in memory only; OnDeactivateAsync writes it.</summary>
    Task<string> SetInMemory(int value);

    Task<int> Get();

    Task<string> ActivationId();

    /// <summary>Holds the turn for <paramref name="milliseconds"/>, then reports the activation.</summary>
    Task<string> HoldFor(int milliseconds);

    Task Reload();

    Task<string?> Etag();

    Task Clear();
}

public sealed class StatefulGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, IStatefulGrain
{
    private readonly string _activationId = Guid.NewGuid().ToString("N");
    private bool _dirty;

    public static int Deactivations;

    public async Task<string> Set(int value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return _activationId;
    }

    public Task<string> SetInMemory(int value)
    {
        state.State.Value = value;
        _dirty = true;
        return Task.FromResult(_activationId);
    }

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task<string> ActivationId() => Task.FromResult(_activationId);

    public async Task<string> HoldFor(int milliseconds)
    {
        await Task.Delay(milliseconds);
        return _activationId;
    }

    public Task Reload() => state.ReadStateAsync();

    public Task<string?> Etag() => Task.FromResult(state.Etag);

    public Task Clear() => state.ClearStateAsync();

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Deactivations);
        if (_dirty)
        {
            state.State.Log.Add($"flushed on {reason}");
            await state.WriteStateAsync();
        }
    }
}

public interface IShortLivedGrain : IGrainWithStringKey
{
    Task<string> ActivationId();
}

/// <summary>Collected after one idle second, whatever the silo's collection age.</summary>
[CollectionAge(seconds: 1)]
public sealed class ShortLivedGrain : Grain, IShortLivedGrain
{
    private readonly string _activationId = Guid.NewGuid().ToString("N");

    public Task<string> ActivationId() => Task.FromResult(_activationId);
}
