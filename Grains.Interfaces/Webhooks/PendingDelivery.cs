namespace Payments.Grains.Interfaces.Webhooks;

/// <summary>A delivery to send: its event, as the body to post, how many attempts it has had, and when it is due.</summary>
[GenerateSerializer, Immutable]
public sealed record PendingDelivery(string Id, string EventId, string Body, int Attempts, DateTimeOffset Due);
