namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// The last delivery to each target (consumer, grain, stream) of one pump. A pump delivers several batches at once;
/// chaining each target's deliveries keeps every target's events in order while different targets move independently.
/// Used by the pump's loop only (not thread-safe).
/// </summary>
internal sealed class StreamDeliveryChains
{
    private readonly Dictionary<(string Consumer, GrainId Grain, StreamId Stream), Task> _tails = [];

    /// <summary>Runs <paramref name="deliver"/> once the target's previous delivery is done and makes it the target's last.</summary>
    public Task Append(string consumer, GrainId grain, StreamId stream, Func<Task> deliver)
    {
        var target = (consumer, grain, stream);
        var previous = _tails.GetValueOrDefault(target);
        var next = previous is null || previous.IsCompletedSuccessfully ? deliver() : AfterAsync(previous, deliver);
        _tails[target] = next;
        return next;
    }

    /// <summary>
    /// Forgets targets whose last delivery succeeded, so the map only holds what is in flight. A failed one is kept:
    /// the target's later events must not overtake it (they fail behind it, and the pump starts over from its checkpoints).
    /// </summary>
    public void Prune()
    {
        foreach (var (target, last) in _tails)
        {
            if (last.IsCompletedSuccessfully)
            {
                _tails.Remove(target);
            }
        }
    }

    // A failed previous delivery fails this one too: the pump then starts over from its checkpoints.
    private static async Task AfterAsync(Task previous, Func<Task> deliver)
    {
        await previous.ConfigureAwait(false);
        await deliver().ConfigureAwait(false);
    }
}
