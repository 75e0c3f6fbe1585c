namespace Payments.Grains.Webhooks;

/// <summary>A connection the target rules refused (its host resolves only to internal addresses).</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
