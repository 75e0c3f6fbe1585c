using System.Text.Json;

namespace Payments.Infrastructure.Streams;

/// <summary>An event a subscriber kept failing on, as operators see it.</summary>
public sealed record StreamDeadLetter(
    long Id,
    string Consumer,
    string Grain,
    Guid EventId,
    string StreamNamespace,
    string StreamKey,
    long Position,
    string Type,
    JsonElement Payload,
    int Attempts,
    string Error,
    DateTimeOffset FailedAt);
