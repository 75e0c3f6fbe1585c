using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Webhooks;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Turns a merchant's payment stream into webhook events: each change becomes an event (its id from the outbox event,
/// so a redelivered change is the same event) and a delivery to every enabled endpoint of the merchant that takes its
/// type, recorded in one transaction; then each endpoint is told what it has to send.
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(MerchantPaymentStream.Namespace)]
[GrainType("webhook-dispatcher")]
public sealed class WebhookDispatcherGrain(WebhookStore store, TimeProvider time) : StreamConsumerGrain, IWebhookDispatcherGrain
{
    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var webhookEvents = events.Select(item =>
        {
            var changed = item.Payload.Deserialize<PaymentChangedEvent>(PaymentsJson.Options)!;
            return WebhookEvents.Create(PrefixedId.Event + item.EventId.ToString("N"), changed.Type, changed.At, changed.Payment);
        }).ToList();
        var pending = await store.RecordEventsAsync(stream.GetKeyAsString()!, webhookEvents, time.GetUtcNow());
        foreach (var endpoint in pending)
        {
            await GrainFactory.GetGrain<IWebhookEndpointGrain>(endpoint.Key).Accept([.. endpoint]);
        }
    }
}
