namespace Payments.Grains.Interfaces.Idempotency;

/// <summary>
/// The answer to an idempotent command. <see cref="RecordedHash"/> is set when an idempotency record now exists for
/// the key: written with this effect (this request's hash) or found from an earlier attempt (that attempt's hash).
/// <see cref="Committed"/> says this call committed the effect and its record, rather than finding them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IdempotentOutcome(StoredResponse Response, string? RecordedHash, bool Committed = false);
