using System.Text.Json;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// One event as a subscriber receives it. <see cref="EventId"/> is unique and stable across redeliveries: delivery is
/// at least once, so consumers deduplicate by it (see <see cref="RecentEventIds"/>).
/// </summary>
public sealed record StreamEvent(Guid EventId, StreamId Stream, string Type, JsonElement Payload, StreamSequenceToken Token, DateTimeOffset CreatedAt);
