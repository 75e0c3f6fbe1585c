using Payments.Grains.Interfaces.MerchantPayments;

namespace Payments.Grains.Interfaces.Webhooks;

/// <summary>The event types an endpoint may subscribe to (or <see cref="All"/>), and the test ping.</summary>
public static class WebhookEventTypes
{
    public const string All = "*";
    public const string TestPing = "test.ping";

    /// <summary>Every payment change of <see cref="MerchantPaymentStream"/>, and payouts.</summary>
    public static readonly IReadOnlyList<string> Subscribable =
    [
        "payment.created", "payment.authorized", "payment.succeeded", "payment.captured", "payment.refunded",
        "payment.canceled", "payment.expired", "payment.failed", "payout.paid", "payout.failed",
    ];

    public static bool Takes(IReadOnlyCollection<string> enabledEvents, string type) =>
        enabledEvents.Contains(All) || enabledEvents.Contains(type);
}
