using System.Text.Json.Serialization;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Interfaces.MerchantPayments;

/// <summary>
/// A card as the payment's one authorization call needs it. The number and CVC are never serialized to JSON (so
/// never into a request hash, a stored response or a log); the request hash uses the card's fingerprint, a keyed
/// HMAC of the number that cannot be reversed without the key.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CardDetails(
    [property: JsonIgnore] string Number,
    int ExpMonth,
    int ExpYear,
    [property: JsonIgnore] string Cvc,
    string Fingerprint,
    string Brand,
    string Last4)
{
    public override string ToString() => $"{Brand} •••• {Last4}";
}

/// <summary>
/// A merchant creates a payment. <c>UserId</c> is the idempotency scope, here the merchant's id. Exactly one of
/// <c>Card</c> and <c>PayerUserId</c> is set. <c>ClientIp</c> and <c>CustomerCountry</c> are the customer's, as the
/// merchant saw them: fraud rules use them. <c>Actor</c> is who the payment's history names, as for a capture.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CreateMerchantPaymentCommand(
    string UserId,
    string Actor,
    long Amount,
    string Currency,
    string CaptureMethod,
    CardDetails? Card,
    string? PayerUserId,
    string? Description,
    IReadOnlyDictionary<string, string>? Metadata,
    string? CustomerReference,
    string? ClientIp,
    string? CustomerCountry) : IdempotentCommand(UserId);

/// <summary>
/// The paying user (<c>UserId</c>) confirms a wallet payment: without a card the amount is held on their wallet; with
/// <c>Card</c>, a card of their card wallet pays, by the cryptogram their device made. <c>CardOnFile</c> (a card id) is
/// set only by the platform for a payment it starts on the payer's behalf (an order): the API never builds it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConfirmMerchantPaymentCommand(string UserId, string PaymentId, DeviceCardPayment? Card = null, string? CardOnFile = null) : IdempotentCommand(UserId);

/// <summary>A wallet card's in-app payment: the card, and the device's cryptogram with its transaction counter (ATC).</summary>
[GenerateSerializer, Immutable]
public sealed record DeviceCardPayment(string CardId, string Cryptogram, int Atc);

/// <summary>
/// The merchant (<c>UserId</c> = merchant id) captures all (null) or part of the authorized amount. <c>Actor</c>, here and
/// in the void and refund commands, is who the payment's history names: <c>api_key:key_…</c>, <c>user:usr_…</c> (the
/// owner's dashboard) or <c>order:ord_…</c> (an order's saga).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CaptureMerchantPaymentCommand(string UserId, string Actor, string PaymentId, long? Amount) : IdempotentCommand(UserId);

/// <summary>The merchant voids an authorization it will not capture.</summary>
[GenerateSerializer, Immutable]
public sealed record VoidMerchantPaymentCommand(string UserId, string Actor, string PaymentId) : IdempotentCommand(UserId);

/// <summary>The merchant refunds all that is left (null) or part of a captured payment.</summary>
[GenerateSerializer, Immutable]
public sealed record RefundMerchantPaymentCommand(string UserId, string Actor, string PaymentId, long? Amount, string? Reason) : IdempotentCommand(UserId);
