using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// One consumer's walk over one stream's containers in an <see cref="OutboxQueueCache"/>. It pins the container it is
/// delivering, or the next one to deliver, so the cache does not release (and the receiver does not checkpoint past)
/// anything this consumer has not had. When a container fails as a whole (the agent retried it until
/// <c>MaxEventDeliveryTime</c>), the cursor delivers its events again one at a time before moving on, so only the event
/// that fails on its own is dead-lettered and the events after it still arrive, in order.
/// </summary>
internal sealed class OutboxQueueCacheCursor : IQueueCacheCursor
{
    private readonly OutboxQueueCache _cache;
    private readonly StreamId _stream;
    private readonly SplitBatches _splits;
    private readonly Queue<OutboxBatchContainer> _oneByOne = new();

    // The pinned container, and whether it was handed out (else it is the next to hand out).
    private LinkedListNode<OutboxQueueCache.CachedBatch>? _pinned;
    private bool _handedOut;

    // Where to look when nothing is pinned: the first container with an event at or after this (null: any).
    private OutboxPosition? _next;
    private OutboxBatchContainer? _current;

    public OutboxQueueCacheCursor(OutboxQueueCache cache, StreamId stream, OutboxPosition? from, SplitBatches splits)
    {
        _cache = cache;
        _stream = stream;
        _splits = splits;
        _next = from;
        PinNextCached();
    }

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    public QueueCacheCursorMoveResult MoveNextWithResult() => Advance() ? QueueCacheCursorMoveResult.Success : QueueCacheCursorMoveResult.NoData;

    [Obsolete("Orleans calls MoveNextWithResult.")]
    public bool MoveNext() => Advance();

    /// <summary>New containers were cached: pin the next one if nothing is pinned (the token is not needed, the cursor knows where it is).</summary>
    public void Refresh(StreamSequenceToken token)
    {
        if (_pinned is null)
        {
            PinNextCached();
        }
    }

    /// <summary>The current container failed for good: a multi-event one is split and its events delivered one by one.</summary>
    public void RecordDeliveryFailure()
    {
        if (_current is { Events.Count: > 1 } failed && _oneByOne.Count == 0)
        {
            _splits.Mark(failed.SequenceToken);
            foreach (var single in failed.Split())
            {
                _oneByOne.Enqueue(single);
            }
        }
    }

    public void Dispose()
    {
        Unpin();
        _current = null;
    }

    private bool Advance()
    {
        if (_oneByOne.TryDequeue(out var single))
        {
            _current = single;
            return true;
        }

        if (_pinned is not null && _handedOut)
        {
            var passed = _pinned;
            _next = After(passed.Value.Batch.End);
            Unpin();
            if (passed.Next is { } following)
            {
                Pin(following);
            }
        }
        else if (_pinned is null)
        {
            PinNextCached();
        }

        if (_pinned is null)
        {
            _current = null;
            return false;
        }

        _handedOut = true;
        _current = _pinned.Value.Batch;
        return true;
    }

    private void PinNextCached()
    {
        if (_cache.FirstAtOrAfter(_stream, _next) is { } node)
        {
            Pin(node);
        }
    }

    private void Pin(LinkedListNode<OutboxQueueCache.CachedBatch> node)
    {
        node.Value.Pins++;
        _pinned = node;
        _handedOut = false;
    }

    private void Unpin()
    {
        if (_pinned is not null)
        {
            _pinned.Value.Pins--;
            _pinned = null;
        }
    }

    // The first position after an event: a later event has a later transaction, or this one's and a later position.
    private static OutboxPosition After(OutboxPosition position) => position with { Position = position.Position + 1 };
}
