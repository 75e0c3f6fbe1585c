namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Where an event sits in the log: its writing transaction, then its position within the log. Ordered this way,
/// an event that becomes visible later (its transaction committed later) never sorts before a delivered one.
/// </summary>
public readonly record struct StreamSequenceToken(ulong TransactionId, long Position) : IComparable<StreamSequenceToken>
{
    /// <summary>Before every event: where a consumer without a checkpoint starts.</summary>
    public static StreamSequenceToken Start => new(0, 0);

    public int CompareTo(StreamSequenceToken other)
    {
        var byTransaction = TransactionId.CompareTo(other.TransactionId);
        return byTransaction != 0 ? byTransaction : Position.CompareTo(other.Position);
    }

    public static bool operator <(StreamSequenceToken left, StreamSequenceToken right) => left.CompareTo(right) < 0;

    public static bool operator >(StreamSequenceToken left, StreamSequenceToken right) => left.CompareTo(right) > 0;

    public static bool operator <=(StreamSequenceToken left, StreamSequenceToken right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StreamSequenceToken left, StreamSequenceToken right) => left.CompareTo(right) >= 0;
}
