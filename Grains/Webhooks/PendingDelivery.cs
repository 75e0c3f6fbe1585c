namespace Payments.Grains.Webhooks;

/// <summary>A delivery to send: its event, as the body to post, and how many attempts it has had.</summary>
public sealed record PendingDelivery(string Id, string EventId, string Body, int Attempts);
