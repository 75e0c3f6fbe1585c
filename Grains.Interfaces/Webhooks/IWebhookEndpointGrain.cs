using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Interfaces.Webhooks;

/// <summary>
/// One webhook endpoint (key: its <c>we_…</c> id): its settings and secrets, and the sender of its deliveries, a
/// bounded number at a time, each retried on its schedule until it succeeds or runs out of attempts. Every call names
/// the merchant; an endpoint of another merchant is not found.
/// </summary>
[Alias("webhook-endpoint")]
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    Task<Outcome<WebhookEndpointWithSecret>> Create(string merchantId, string url, IReadOnlyList<string> enabledEvents, string? description);

    Task<Outcome<WebhookEndpointView>> Get(string merchantId);

    Task<Outcome<WebhookEndpointView>> Update(string merchantId, WebhookEndpointChange change);

    Task<Outcome<WebhookEndpointView>> Delete(string merchantId);

    /// <summary>A new secret; the old one goes on signing beside it for the configured overlap (24 h by default).</summary>
    Task<Outcome<WebhookEndpointWithSecret>> RollSecret(string merchantId);

    /// <summary>Sends a <c>test.ping</c> event to this endpoint alone.</summary>
    Task<Outcome<WebhookDeliveryView>> SendTest(string merchantId);

    Task<Outcome<WebhookDeliveryPage>> Deliveries(string merchantId, string? status, int limit, string? startingAfter);

    /// <summary>Deliveries written for this endpoint (by a resend or a test), loaded from their rows, to send when due.</summary>
    [OneWay]
    Task Enqueue(IReadOnlyList<string> deliveryIds);

    /// <summary>Deliveries the dispatcher just wrote, with their bodies, to send when due (no read of their rows).</summary>
    [OneWay]
    Task Accept(IReadOnlyList<PendingDelivery> deliveries);
}
