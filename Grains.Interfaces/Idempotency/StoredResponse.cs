namespace Payments.Grains.Interfaces.Idempotency;

/// <summary>
/// An HTTP status and JSON body as first answered to an idempotent request. Stored in the same transaction as the
/// effect, and returned byte for byte to every repeat of the request.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StoredResponse(int Status, string Body);
