namespace Orleans.Payments.Runtime.Streams;

/// <summary>An event a producer appends to a stream, in the same database transaction as the change it reports.</summary>
public sealed record OutboxMessage(Guid EventId, StreamId Stream, string Type, string PayloadJson)
{
    /// <summary>A new event with a fresh time-ordered id.</summary>
    public static OutboxMessage Create(StreamId stream, string type, string payloadJson) => new(Guid.CreateVersion7(), stream, type, payloadJson);
}
