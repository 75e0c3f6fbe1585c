using Payments.Grains.Interfaces.Fraud;

namespace Payments.Grains.Interfaces.MerchantPayments;

/// <summary>
/// A merchant payment (PaymentIntent-shaped). Amounts are integer minor units of <c>Currency</c>:
/// <c>AmountCapturable</c> is authorized and not yet captured, <c>AmountCaptured</c> went to the merchant (before
/// <c>Fee</c>), <c>AmountRefunded</c> went back. A card is shown by brand and last four digits only.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentView(
    string Id,
    string MerchantId,
    string Status,
    long Amount,
    long AmountCapturable,
    long AmountCaptured,
    long AmountRefunded,
    long Fee,
    string Currency,
    string CaptureMethod,
    PaymentMethodView PaymentMethod,
    string? Description,
    IReadOnlyDictionary<string, string>? Metadata,
    string? CustomerReference,
    FraudView Fraud,
    string? DeclineCode,
    string? AuthorizationCode,
    IReadOnlyList<RefundView> Refunds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AuthorizationExpiresAt,
    DateTimeOffset? CapturedAt,
    DateTimeOffset? CanceledAt,
    string? CancellationReason);

/// <summary>
/// How a payment is paid: <c>card</c> (brand, last4, expiry, and the card's fingerprint: the same card always has the
/// same one, and it cannot be turned back into the number), <c>wallet</c> (the paying user), or <c>network_token</c>
/// (the paying user's wallet card, by its id, brand and last four digits).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentMethodView(string Type, string? Brand, string? Last4, int? ExpMonth, int? ExpYear, string? Fingerprint, string? User, string? Card = null);

/// <summary>Payment method types.</summary>
public static class PaymentMethodTypes
{
    public const string Card = "card";
    public const string Wallet = "wallet";
    public const string NetworkToken = "network_token";
}

/// <summary>One refund of a payment.</summary>
[GenerateSerializer, Immutable]
public sealed record RefundView(string Id, string Payment, long Amount, string Currency, string? Reason, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record PaymentPage(IReadOnlyList<PaymentView> Data, bool HasMore);

/// <summary>
/// A merchant's wallet payment as its payer sees it: who asks, how much, for what, and where it stands. It leaves out
/// what is the merchant's business (fraud score, metadata, customer reference, fee).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WalletPaymentView(
    string Id,
    string MerchantId,
    string MerchantName,
    string Status,
    long Amount,
    long AmountCaptured,
    long AmountRefunded,
    string Currency,
    string? Description,
    DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record WalletPaymentPage(IReadOnlyList<WalletPaymentView> Data, bool HasMore);

/// <summary>A change in a payment's life: what happened, who did it (an API key, a user, the system) and when.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentEventView(int Sequence, string Type, string Actor, long? Amount, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record PaymentEventPage(IReadOnlyList<PaymentEventView> Data, bool HasMore);

/// <summary>
/// The answer to a payment that was not authorized (402): CARD_DECLINED with the network's decline code, or
/// FRAUD_BLOCKED (decline code <c>fraud_blocked</c>) when its fraud score reached the merchant's block threshold;
/// whether a new payment may succeed; and the payment, recorded as failed.
/// </summary>
public sealed record CardDeclinedBody(string Code, string DeclineCode, string Message, bool Retryable, PaymentView Payment);

/// <summary>Listing filters of <c>GET /v1/payments</c>; every one optional.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentFilter(
    string? Status,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedBefore,
    long? AmountFrom,
    long? AmountTo,
    string? Currency,
    string? CustomerReference,
    string? Query);

/// <summary>Payment states and capture methods.</summary>
public static class PaymentStatus
{
    public const string RequiresConfirmation = "requires_confirmation";
    public const string RequiresCapture = "requires_capture";
    public const string Succeeded = "succeeded";
    public const string Canceled = "canceled";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [RequiresConfirmation, RequiresCapture, Succeeded, Canceled, Failed];
}

public static class CaptureMethods
{
    public const string Automatic = "automatic";
    public const string Manual = "manual";
}

/// <summary>Limits of merchant payment inputs.</summary>
public static class PaymentLimits
{
    public const long MinAmount = 1;

    /// <summary>10 million in major units of a two-decimal currency: far above any card payment, far below overflow.</summary>
    public const long MaxAmount = 1_000_000_000;

    public const int MaxMetadataPairs = 20;
    public const int MaxMetadataKeyLength = 40;
    public const int MaxMetadataValueLength = 500;
    public const int MaxDescriptionLength = 500;
    public const int MaxCustomerReferenceLength = 100;
    public const int MaxReasonLength = 200;
}
