using Payments.Grains.Interfaces.Webhooks;

namespace Payments.Grains.Webhooks;

/// <summary>A <c>webhook_endpoints</c> row: the endpoint's settings, its secrets, and since when it has been failing.</summary>
public sealed record WebhookEndpointRow(
    string Id,
    string MerchantId,
    string Url,
    string? Description,
    IReadOnlyList<string> EnabledEvents,
    string Status,
    string? DisabledReason,
    string Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt)
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";

    public bool IsEnabled => Status == Enabled;

    public WebhookEndpointView View() => new(Id, Url, Description, EnabledEvents, Status, DisabledReason, CreatedAt);

    public WebhookEndpointWithSecret WithSecret() => new(Id, Url, Description, EnabledEvents, Status, DisabledReason, CreatedAt, Secret);

    /// <summary>The secrets that sign now: the current one, and a rolled one until its overlap ends.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];
}
