using System.Diagnostics.CodeAnalysis;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// What a pulling agent has read from its partition and not yet released. Containers stay in read order; each
/// consumer's cursor pins the container it is delivering (or will deliver next), and the cache releases containers from
/// the oldest end while none is pinned, so what it releases was delivered to every consumer (or dead-lettered) and
/// every container before it too: the receiver can checkpoint past it. Capacity is counted in events; when it is full
/// the agent stops reading until deliveries catch up. Used from the agent's turns only (not thread-safe).
/// </summary>
internal sealed class OutboxQueueCache(int capacity, SplitBatches splits) : IQueueCache
{
    private readonly LinkedList<CachedBatch> _batches = new();
    private readonly Dictionary<StreamId, LinkedList<CachedBatch>> _byStream = [];
    private int _events;

    /// <summary>
    /// Events the receiver may still read: the room left, and at least 1. Orleans' pulling agent skips its read when this
    /// is 0, and the purge that makes room runs only inside that read: a full cache would then never release what its
    /// consumers already had, and delivery of the whole partition would stop for good. At 1 the agent reads, purges
    /// first, and backs off while <see cref="IsUnderPressure"/>; the read after a purge takes at most 1 event, the next
    /// read the room then left.
    /// </summary>
    public int GetMaxAddCount() => Math.Max(1, capacity - _events);

    public bool IsUnderPressure() => _events >= capacity;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var container in messages.Cast<OutboxBatchContainer>())
        {
            if (!_byStream.TryGetValue(container.StreamId, out var stream))
            {
                _byStream[container.StreamId] = stream = new LinkedList<CachedBatch>();
            }

            var cached = new CachedBatch(container);
            cached.StreamNode = stream.AddLast(cached);
            _batches.AddLast(cached);
            _events += container.Events.Count;
        }
    }

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems)
    {
        List<IBatchContainer>? purged = null;
        while (_batches.First is { Value.Pins: 0 } oldest)
        {
            _batches.RemoveFirst();
            var stream = oldest.Value.StreamNode!.List!;
            stream.Remove(oldest.Value.StreamNode);
            if (stream.Count == 0)
            {
                _byStream.Remove(oldest.Value.Batch.StreamId);
            }

            _events -= oldest.Value.Batch.Events.Count;
            (purged ??= []).Add(oldest.Value.Batch);
        }

        purgedItems = purged;
        return purged is not null;
    }

    [Obsolete("Orleans calls TryGetCacheCursor.")]
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token) => CursorFrom(streamId, token);

    /// <summary>
    /// A cursor at the first cached container of the stream with an event at or after <paramref name="token"/>; from the
    /// stream's oldest cached container when there is no token. Never a cache miss: whatever left the cache was
    /// delivered, so a position older than the cache starts at the oldest container still there.
    /// </summary>
    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(CursorFrom(streamId, token));

    /// <summary>Both positions start at the stream's oldest cached container: delivering again is safe, skipping is not.</summary>
    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursorAtPosition(StreamId streamId, StreamSubscriptionStartPosition startPosition) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(new OutboxQueueCacheCursor(this, streamId, null, splits));

    /// <summary>The stream's first cached container with an event at or after <paramref name="from"/> (any, if null).</summary>
    internal LinkedListNode<CachedBatch>? FirstAtOrAfter(StreamId streamId, OutboxPosition? from)
    {
        if (!_byStream.TryGetValue(streamId, out var stream))
        {
            return null;
        }

        var node = stream.First;
        while (node is not null && from is { } start && node.Value.Batch.End < start)
        {
            node = node.Next;
        }

        return node;
    }

    private OutboxQueueCacheCursor CursorFrom(StreamId streamId, StreamSequenceToken? token)
    {
        OutboxPosition? from = token switch
        {
            null => null,
            OutboxSequenceToken outbox => outbox.Position,
            _ => throw new ArgumentException($"The outbox cache takes outbox tokens, not {token.GetType().Name}.", nameof(token)),
        };
        return new OutboxQueueCacheCursor(this, streamId, from, splits);
    }

    /// <summary>A cached container and how many cursors pin it.</summary>
    internal sealed class CachedBatch(OutboxBatchContainer batch)
    {
        public OutboxBatchContainer Batch { get; } = batch;

        public int Pins { get; set; }

        /// <summary>Its node in its stream's list (the cursors walk those).</summary>
        public LinkedListNode<CachedBatch>? StreamNode { get; set; }
    }
}
