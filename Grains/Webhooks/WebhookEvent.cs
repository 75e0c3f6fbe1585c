namespace Payments.Grains.Webhooks;

/// <summary>A webhook event as the dispatcher records it: its id, type, the body every delivery posts, and when it happened.</summary>
public sealed record WebhookEvent(string Id, string Type, string Body, DateTimeOffset CreatedAt);
