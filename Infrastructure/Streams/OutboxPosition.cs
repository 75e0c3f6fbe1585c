namespace Payments.Infrastructure.Streams;

/// <summary>
/// Where an event sits in the outbox: its writing transaction, then its position within the log. Ordered this way,
/// an event that becomes visible later (its transaction committed later) never sorts before a delivered one.
/// </summary>
[GenerateSerializer, Immutable, Alias("outbox-position")]
public readonly record struct OutboxPosition(ulong TransactionId, long Position) : IComparable<OutboxPosition>
{
    /// <summary>Before every event: where a partition without a checkpoint starts.</summary>
    public static OutboxPosition Start => new(0, 0);

    public int CompareTo(OutboxPosition other)
    {
        var byTransaction = TransactionId.CompareTo(other.TransactionId);
        return byTransaction != 0 ? byTransaction : Position.CompareTo(other.Position);
    }

    public static bool operator <(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(OutboxPosition left, OutboxPosition right) => left.CompareTo(right) >= 0;
}
