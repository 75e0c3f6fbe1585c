using System.Text.Json.Serialization;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Commerce;
using Orleans;
using Payments.Grains.Interfaces.MerchantPayments;

namespace Payments.Grains.Interfaces.Idempotency;

/// <summary>
/// One idempotency key of one caller (key: "{userId}/{idempotencyKey}"). Non-reentrant, so requests with the
/// same key run one at a time: a repeat waits for the first request's outcome and gets the same response.
/// </summary>
[Alias("idempotency")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the command once. A repeat with the same <paramref name="requestHash"/> returns the stored response;
    /// a different hash returns 422 IDEMPOTENCY_KEY_REUSED.
    /// </summary>
    Task<StoredResponse> Execute(IdempotentCommand command, string requestHash);
}

/// <summary>
/// A command that runs at most once per idempotency key (money movements, payment requests, merchant payments).
/// <c>UserId</c> is the key's scope: the calling user, or for a merchant's API key the merchant's id.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TransferCommand), "transfer")]
[JsonDerivedType(typeof(DepositCommand), "deposit")]
[JsonDerivedType(typeof(WithdrawalCommand), "withdrawal")]
[JsonDerivedType(typeof(CreatePaymentRequestCommand), "create-payment-request")]
[JsonDerivedType(typeof(PayRequestCommand), "pay-request")]
[JsonDerivedType(typeof(CreateMerchantPaymentCommand), "create-merchant-payment")]
[JsonDerivedType(typeof(ConfirmMerchantPaymentCommand), "confirm-merchant-payment")]
[JsonDerivedType(typeof(CaptureMerchantPaymentCommand), "capture-merchant-payment")]
[JsonDerivedType(typeof(VoidMerchantPaymentCommand), "void-merchant-payment")]
[JsonDerivedType(typeof(RefundMerchantPaymentCommand), "refund-merchant-payment")]
[JsonDerivedType(typeof(ProvisionCardCommand), "provision-card")]
[JsonDerivedType(typeof(PlaceOrderCommand), "place-order")]
[GenerateSerializer, Immutable]
public abstract record IdempotentCommand(string UserId);

/// <summary>A P2P send. A null <c>Visibility</c> takes the sender's default visibility (initially friends) when it runs.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferCommand(string UserId, string RecipientId, long Amount, string Currency, string Note, string? Visibility) : IdempotentCommand(UserId);

[GenerateSerializer, Immutable]
public sealed record DepositCommand(string UserId, long Amount) : IdempotentCommand(UserId);

/// <summary>A withdrawal: to the bank (standard, free), or with <c>InstantToCard</c> at once to that debit card of the wallet, for a fee.</summary>
[GenerateSerializer, Immutable]
public sealed record WithdrawalCommand(string UserId, long Amount, string? InstantToCard = null) : IdempotentCommand(UserId);

/// <summary>The caller (<c>UserId</c>) asks <c>RequesteeId</c> for money; the request's id is chosen when it runs, not hashed.</summary>
[GenerateSerializer, Immutable]
public sealed record CreatePaymentRequestCommand(string UserId, string RequesteeId, long Amount, string Note) : IdempotentCommand(UserId);

/// <summary>The caller pays the payment request <c>RequestId</c> they received.</summary>
[GenerateSerializer, Immutable]
public sealed record PayRequestCommand(string UserId, string RequestId) : IdempotentCommand(UserId);

/// <summary>Identifies the idempotency record written with an effect.</summary>
[GenerateSerializer, Immutable]
public sealed record IdempotencyStamp(string Scope, string Key, string RequestHash);
