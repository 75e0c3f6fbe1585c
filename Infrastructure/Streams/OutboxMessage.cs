namespace Payments.Infrastructure.Streams;

/// <summary>An event a producer appends to a stream, in the same database transaction as the change it reports.</summary>
public sealed record OutboxMessage(Guid EventId, StreamId Stream, string Type, string PayloadJson)
{
    /// <summary>A new event with a fresh time-ordered id for the stream (<paramref name="streamNamespace"/>, <paramref name="key"/>).</summary>
    public static OutboxMessage Create(string streamNamespace, string key, string type, string payloadJson) =>
        new(Guid.CreateVersion7(), StreamId.Create(streamNamespace, key), type, payloadJson);
}
