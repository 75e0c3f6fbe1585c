using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Consecutive events of one stream, as read from one partition: a consumer receives them in one
/// <c>OnNextAsync</c> batch. Containers of a queue do not overlap, so a delivered container with every container
/// before it is a prefix of the partition (what a checkpoint records). Sent to consumer grains, hence serializable;
/// immutable, so local deliveries are not copied.
/// </summary>
[GenerateSerializer, Immutable, Alias("outbox-batch")]
public sealed class OutboxBatchContainer : IBatchContainer
{
    [Id(0)]
    private readonly StreamEvent[] _events;

    [Id(1)]
    private readonly OutboxSequenceToken _token;

    public OutboxBatchContainer(IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("A batch holds at least one event.", nameof(events));
        }

        var stream = events[0].Stream;
        if (events.Any(item => !item.Stream.Equals(stream)))
        {
            throw new ArgumentException("A batch holds events of one stream.", nameof(events));
        }

        _events = [.. events];
        _token = new OutboxSequenceToken(events[0].Position, 0);
    }

    public StreamId StreamId => _events[0].Stream;

    /// <summary>The first event's token. The same instance every time: the failure handler recognises a container by it.</summary>
    public StreamSequenceToken SequenceToken => _token;

    public IReadOnlyList<StreamEvent> Events => _events;

    /// <summary>The first event's position.</summary>
    public OutboxPosition Start => _events[0].Position;

    /// <summary>The last event's position.</summary>
    public OutboxPosition End => _events[^1].Position;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        _events.Select((item, index) => (item, index))
            .Where(pair => pair.item is T)
            .Select(pair => Tuple.Create((T)(object)pair.item, (StreamSequenceToken)new OutboxSequenceToken(pair.item.Position, pair.index)));

    /// <summary>The outbox carries no request context: producers write rows in SQL, not through Orleans calls.</summary>
    public bool ImportRequestContext() => false;

    /// <summary>One container per event, in order, to retry them one by one after this one failed as a whole.</summary>
    public IEnumerable<OutboxBatchContainer> Split() => _events.Select(item => new OutboxBatchContainer([item]));

    public override string ToString() => $"{StreamId}: {_events.Length} events from {_token}";
}
