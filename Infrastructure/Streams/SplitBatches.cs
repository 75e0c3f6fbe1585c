using System.Runtime.CompilerServices;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Containers that failed as a whole and are being delivered again one event at a time (see
/// <see cref="OutboxQueueCacheCursor.RecordDeliveryFailure"/>). The pulling agent reports such a failure to the failure
/// handler like any other, right after the cursor records it; the handler takes the mark and records no dead letter,
/// since only the event that fails on its own is one. Marks are per token instance (the agent hands the handler the
/// container's own token), counted (two consumers of a stream may fail on one container), and held weakly (the agent
/// skips the handler when a queue is being shut down).
/// </summary>
internal sealed class SplitBatches
{
    private readonly ConditionalWeakTable<StreamSequenceToken, StrongBox<int>> _marks = [];

    public void Mark(StreamSequenceToken token)
    {
        var count = _marks.GetOrCreateValue(token);
        Interlocked.Increment(ref count.Value);
    }

    /// <summary>Whether <paramref name="token"/>'s container was split for a retry (and forgets one such mark).</summary>
    public bool TryTake(StreamSequenceToken? token)
    {
        if (token is null || !_marks.TryGetValue(token, out var count))
        {
            return false;
        }

        while (true)
        {
            var current = Volatile.Read(ref count.Value);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref count.Value, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}
