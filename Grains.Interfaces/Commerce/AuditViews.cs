namespace Payments.Grains.Interfaces.Commerce;

/// <summary>One audit record: who (actor) did what (action) to which resource, with old and new values where they matter.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditRecordView(
    long Id,
    string? Merchant,
    string Actor,
    string Action,
    string ResourceType,
    string ResourceId,
    System.Text.Json.JsonElement? OldValue,
    System.Text.Json.JsonElement? NewValue,
    DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record AuditPage(IReadOnlyList<AuditRecordView> Data, bool HasMore);

/// <summary>Reads of the append-only audit log (a stateless worker).</summary>
[Alias("audit-log")]
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    /// <summary>A merchant's records (or, for an operator, everyone's: <paramref name="merchantId"/> null), newest first.</summary>
    Task<AuditPage> List(string? merchantId, string? resourceId, int limit, long? startingAfter);
}
