using System.Text.Json;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// One outbox event as a consumer grain receives it. <see cref="EventId"/> is unique and stable across redeliveries:
/// delivery is at least once, so consumers deduplicate by it (see <see cref="RecentEventIds"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("stream-event")]
public sealed record StreamEvent(Guid EventId, StreamId Stream, string Type, JsonElement Payload, OutboxPosition Position, DateTimeOffset CreatedAt);
