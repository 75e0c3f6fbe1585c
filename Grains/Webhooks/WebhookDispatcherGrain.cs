using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Settlements;
using Payments.Grains.Interfaces.Webhooks;
using Payments.Grains.MerchantPayments;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.References;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Turns a merchant's payment and payout streams into webhook events: each change becomes an event (its id from the outbox event,
/// so a redelivered change is the same event) and a delivery to every enabled endpoint of the merchant that takes its
/// type, recorded in one transaction; then each endpoint is told what it has to send.
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(MerchantPaymentStream.Namespace)]
[ImplicitStreamSubscription(MerchantPayoutStream.Namespace)]
[GrainType("webhook-dispatcher")]
public sealed class WebhookDispatcherGrain(WebhookStore store, TimeProvider time) : StreamConsumerGrain, IWebhookDispatcherGrain
{
    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var payouts = stream.GetNamespace() == MerchantPayoutStream.Namespace;
        var webhookEvents = events.Select(item => payouts ? PayoutEvent(item) : PaymentEvent(item)).ToList();
        var pending = await store.RecordEventsAsync(stream.GetKeyAsString()!, webhookEvents, time.GetUtcNow());
        await Task.WhenAll(pending.Select(endpoint => GrainFactory.Reference<IWebhookEndpointGrain>(endpoint.Key).Accept([.. endpoint])));
    }

    private static WebhookEvent PaymentEvent(StreamEvent item)
    {
        var changed = item.Payload.Deserialize<PaymentChangedJson>(PaymentsJson.Options)!;
        return WebhookEvents.CreateAroundJson(EventId(item), changed.Type, changed.At, changed.Payment);
    }

    private static WebhookEvent PayoutEvent(StreamEvent item)
    {
        var changed = item.Payload.Deserialize<PayoutChangedEvent>(PaymentsJson.Options)!;
        return WebhookEvents.Create(EventId(item), changed.Type, changed.At, changed.Payout);
    }

    private static string EventId(StreamEvent item) => PrefixedId.Event + item.EventId.ToString("N");
}
