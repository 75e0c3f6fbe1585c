namespace Orleans.Payments.Runtime.Tests.Grains;

/// <summary>Records overlap of turns and segments, and the order calls arrive in.</summary>
public interface ITurnOperations
{
    /// <summary>Runs a turn with several awaits inside; reports whether another turn was ever seen inside at the same time.</summary>
    Task<int> Work(string caller, int sequence);

    /// <summary>Like <see cref="Work"/>, but each pause awaits work on the thread pool, so a reentrant grain interleaves turns.</summary>
    Task<int> WorkOffGrain(string caller, int sequence);

    Task<TurnReport> Report();

    Task<bool> HoldFor(int milliseconds);

    /// <summary>True when called while a HoldFor call is in progress.</summary>
    Task<bool> IsHolding();

    Task<string> Fail(string message);

    Task FailSynchronously(string message);

    /// <summary>Fails as a grain does whose own call to another grain found no silo for it.</summary>
    Task FailUnavailable(string message);

    Task<int> HangFor(int milliseconds);

    Task<string> Echo(string text);
}

public interface ITurnGrain : ITurnOperations, IGrainWithStringKey;

public interface IReentrantTurnGrain : ITurnOperations, IGrainWithStringKey;

public sealed record TurnReport(int Calls, int TurnOverlaps, int SegmentOverlaps, Dictionary<string, List<int>> SequencesByCaller);

public abstract class TurnGrainBase : Grain, ITurnOperations
{
    private readonly Dictionary<string, List<int>> _sequences = [];
    private int _turnsInside;
    private int _segmentsInside;
    private int _turnOverlaps;
    private int _segmentOverlaps;
    private int _calls;
    private bool _holding;

    public Task<int> Work(string caller, int sequence) => RunTurn(caller, sequence, static async () => await Task.Yield());

    public Task<int> WorkOffGrain(string caller, int sequence) => RunTurn(caller, sequence, static () => Task.Run(static () => Thread.SpinWait(20)));

    private async Task<int> RunTurn(string caller, int sequence, Func<Task> pause)
    {
        _calls++;
        if (!_sequences.TryGetValue(caller, out var list))
        {
            _sequences[caller] = list = [];
        }

        list.Add(sequence);
        if (Interlocked.Increment(ref _turnsInside) > 1)
        {
            _turnOverlaps++;
        }

        for (var step = 0; step < 3; step++)
        {
            Segment();
            await pause();
        }

        Interlocked.Decrement(ref _turnsInside);
        return _calls;
    }

    // A synchronous read-modify-write that would be torn if two segments ran at once.
    private void Segment()
    {
        if (Interlocked.Increment(ref _segmentsInside) > 1)
        {
            _segmentOverlaps++;
        }

        Thread.SpinWait(50);
        Interlocked.Decrement(ref _segmentsInside);
    }

    public Task<TurnReport> Report() =>
        Task.FromResult(new TurnReport(_calls, _turnOverlaps, _segmentOverlaps, _sequences.ToDictionary(pair => pair.Key, pair => pair.Value.ToList())));

    public async Task<bool> HoldFor(int milliseconds)
    {
        _holding = true;
        await Task.Delay(milliseconds);
        _holding = false;
        return true;
    }

    public Task<bool> IsHolding() => Task.FromResult(_holding);

    public async Task<string> Fail(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task FailSynchronously(string message) => throw new ArgumentException(message);

    public Task FailUnavailable(string message) => throw new SiloUnavailableException(message);

    public Task<string> Echo(string text) => Task.FromResult(text);

    public async Task<int> HangFor(int milliseconds)
    {
        await Task.Delay(milliseconds);
        return milliseconds;
    }
}

public sealed class TurnGrain : TurnGrainBase, ITurnGrain;

[Reentrant]
public sealed class ReentrantTurnGrain : TurnGrainBase, IReentrantTurnGrain;
