namespace Payments.Grains.Interfaces.Webhooks;

/// <summary>
/// A merchant's webhook endpoint: where events go (<c>Url</c>), which ones (<c>EnabledEvents</c>, or <c>*</c>), and
/// whether it is <c>enabled</c> or <c>disabled</c> (by the merchant, by a 410, or after failing for days:
/// <c>DisabledReason</c>). Never its secret.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WebhookEndpointView(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EnabledEvents,
    string Status,
    string? DisabledReason,
    DateTimeOffset CreatedAt);

/// <summary>An endpoint just created or with a rolled secret: the signing secret (<c>whsec_…</c>) is in this answer only.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookEndpointWithSecret(
    string Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EnabledEvents,
    string Status,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    string Secret);

[GenerateSerializer, Immutable]
public sealed record WebhookEndpointPage(IReadOnlyList<WebhookEndpointView> Data, bool HasMore);

/// <summary>What <c>PATCH</c> changes: each field absent is left as it is.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookEndpointChange(string? Url, IReadOnlyList<string>? EnabledEvents, string? Description, bool? Disabled);

/// <summary>
/// One event sent to one endpoint: <c>pending</c> until an attempt gets a 2xx (<c>succeeded</c>) or the last attempt
/// fails (<c>failed</c>); <c>Origin</c> is <c>event</c>, <c>resend</c> or <c>test</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WebhookDeliveryView(
    string Id,
    string EventId,
    string EventType,
    string Origin,
    string Status,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    IReadOnlyList<WebhookAttemptView> Attempts);

/// <summary>One try: the receiver's status code (none when it could not be reached), how long it took, why it failed, and the first 1 KiB of its answer.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookAttemptView(int Attempt, int? StatusCode, int LatencyMs, string? Error, string? ResponseBody, DateTimeOffset AttemptedAt);

[GenerateSerializer, Immutable]
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Data, bool HasMore);

/// <summary>What a resend started: the event and one new delivery per endpoint that takes it.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookResend(string EventId, IReadOnlyList<string> Deliveries);
