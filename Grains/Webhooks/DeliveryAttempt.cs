namespace Payments.Grains.Webhooks;

/// <summary>An attempt to record, and where it leaves its delivery.</summary>
public sealed record DeliveryAttempt(string DeliveryId, int Attempt, WebhookAttemptResult Result, DateTimeOffset AttemptedAt, string Status, DateTimeOffset? NextAttemptAt);
