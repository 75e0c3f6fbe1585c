using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Interfaces.Webhooks;

/// <summary>A merchant's webhooks as a whole (key: the merchant id): its endpoints, and resending one of its events.</summary>
[Alias("merchant-webhooks")]
public interface IMerchantWebhooksGrain : IGrainWithStringKey
{
    Task<Outcome<WebhookEndpointPage>> Endpoints(int limit, string? startingAfter);

    /// <summary>Sends the event again to every enabled endpoint of the merchant that takes its type.</summary>
    Task<Outcome<WebhookResend>> Resend(string eventId);
}
