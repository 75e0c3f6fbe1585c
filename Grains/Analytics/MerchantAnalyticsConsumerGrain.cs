using System.Text.Json;
using Orleans;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Analytics;

/// <summary>
/// Keeps a merchant's hourly analytics buckets from its payment stream: an attempt when a payment is created (its
/// first version), a success with its volume on capture, a decline on failure, a refund with its amount. The store's
/// cursor makes a redelivered batch change nothing.
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(MerchantPaymentStream.Namespace)]
[GrainType("merchant-analytics-consumer")]
public sealed class MerchantAnalyticsConsumerGrain(MerchantAnalyticsStore store) : StreamConsumerGrain, IMerchantAnalyticsConsumerGrain
{
    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var changes = new List<(OutboxPosition, BucketChange)>(events.Count);
        foreach (var item in events)
        {
            var changed = item.Payload.Deserialize<PaymentChangeSummary>(PaymentsJson.Options)!;
            changes.Add((item.Position, Bucket(changed)));
        }

        await store.ApplyAsync(stream.GetKeyAsString()!, changes);
    }

    private static BucketChange Bucket(PaymentChangeSummary changed)
    {
        var at = changed.At.ToUniversalTime();
        var hour = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);
        var amount = changed.Amount ?? 0;
        var captured = changed.Type is "payment.captured" or "payment.succeeded";
        return new BucketChange(
            changed.Payment.Currency,
            hour,
            Payments: changed.Version == 1 ? 1 : 0,
            Succeeded: captured ? 1 : 0,
            Declined: changed.Type == "payment.failed" ? 1 : 0,
            Refunds: changed.Type == "payment.refunded" ? 1 : 0,
            Volume: captured ? amount : 0,
            RefundedAmount: changed.Type == "payment.refunded" ? amount : 0);
    }

    /// <summary>
    /// What the buckets need of a <see cref="PaymentChangedEvent"/>: the rest of the payment is skipped while reading,
    /// not built into objects for every event.
    /// </summary>
    private sealed record PaymentChangeSummary(string Type, long? Amount, DateTimeOffset At, int Version, PaymentCurrency Payment);

    private sealed record PaymentCurrency(string Currency);
}
