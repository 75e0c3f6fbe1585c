using Orleans;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Records one merchant's webhook events and deliveries (stream "merchant-payments", key = the merchant id). Only the
/// stream's pulling agent calls it.
/// </summary>
[Alias("webhook-dispatcher")]
public interface IWebhookDispatcherGrain : IGrainWithStringKey;
