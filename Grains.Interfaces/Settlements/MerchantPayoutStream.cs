namespace Payments.Grains.Interfaces.Settlements;

/// <summary>
/// The stream of a merchant's payout changes (namespace <see cref="Namespace"/>, key: the merchant id), appended with
/// the change: <c>payout.paid</c> and <c>payout.failed</c>. Webhooks read it.
/// </summary>
public static class MerchantPayoutStream
{
    public const string Namespace = "merchant-payouts";
    public const string Paid = "payout.paid";
    public const string Failed = "payout.failed";
}

/// <summary>A payout change as its stream carries it.</summary>
public sealed record PayoutChangedEvent(string Type, DateTimeOffset At, MerchantPayoutView Payout);
