namespace Payments.Grains.Interfaces.MerchantPayments;

/// <summary>
/// The stream of a merchant's payment changes (namespace <see cref="Namespace"/>, key: the merchant id): one event per
/// change, appended with the change itself, typed by what happened (<c>payment.created</c>, <c>payment.authorized</c>,
/// <c>payment.succeeded</c>, <c>payment.captured</c>, <c>payment.refunded</c>, <c>payment.canceled</c>,
/// <c>payment.expired</c>, <c>payment.failed</c>). Analytics read it; webhooks will.
/// </summary>
public static class MerchantPaymentStream
{
    public const string Namespace = "merchant-payments";
}

/// <summary>
/// A payment change as its stream carries it: what happened (<c>Type</c>), to how much (<c>Amount</c>: the amount
/// authorized, captured or refunded), when, the payment's version after it (1 for its creation) and the payment.
/// </summary>
public sealed record PaymentChangedEvent(string Type, long? Amount, DateTimeOffset At, int Version, PaymentView Payment);
