using System.Globalization;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Orleans' position of an outbox event: its <see cref="OutboxPosition"/> (writing transaction, then log position) and
/// its index within the batch container that carries it. Tokens order as the receivers read, (transaction, position)
/// first, so the queue cache can place cursors by comparing them. <see cref="SequenceNumber"/> is the log position.
/// </summary>
[GenerateSerializer, Immutable, Alias("outbox-sequence-token")]
public sealed class OutboxSequenceToken : StreamSequenceToken
{
    public OutboxSequenceToken(OutboxPosition position, int eventIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventIndex);
        TransactionId = position.TransactionId;
        SequenceNumber = position.Position;
        EventIndex = eventIndex;
    }

    /// <summary>The transaction that wrote the event (<c>outbox_events.transaction_id</c>).</summary>
    [Id(0)]
    public ulong TransactionId { get; private set; }

    /// <summary>The event's log position (<c>outbox_events.position</c>).</summary>
    [Id(1)]
    public override long SequenceNumber { get; protected set; }

    [Id(2)]
    public override int EventIndex { get; protected set; }

    public OutboxPosition Position => new(TransactionId, SequenceNumber);

    public override bool Equals(StreamSequenceToken? other) =>
        other is OutboxSequenceToken token && token.Position == Position && token.EventIndex == EventIndex;

    public override bool Equals(object? obj) => Equals(obj as StreamSequenceToken);

    public override int GetHashCode() => HashCode.Combine(TransactionId, SequenceNumber, EventIndex);

    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (other is not OutboxSequenceToken token)
        {
            throw new ArgumentException($"An outbox token compares only with outbox tokens, not {other.GetType().Name}.", nameof(other));
        }

        var byPosition = Position.CompareTo(token.Position);
        return byPosition != 0 ? byPosition : EventIndex.CompareTo(token.EventIndex);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"outbox:{TransactionId}/{SequenceNumber}#{EventIndex}");
}
