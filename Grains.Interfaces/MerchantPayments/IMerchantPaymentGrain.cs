using Orleans;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Interfaces.MerchantPayments;

/// <summary>
/// One merchant payment (key: its id, "pay_…"). Non-reentrant: its transitions run one at a time; the ledger's hold
/// row is the guard if two activations ever coexist. Every answer for another merchant, as for an unknown id, is
/// NOT_FOUND.
/// </summary>
[Alias("merchant-payment")]
public interface IMerchantPaymentGrain : IGrainWithStringKey
{
    /// <summary>Authorizes (card) or waits for the payer (wallet); 201 with the payment, 402 when declined.</summary>
    Task<IdempotentOutcome> Create(CreateMerchantPaymentCommand command, IdempotencyStamp stamp);

    /// <summary>The payer confirms a wallet payment: the amount is held on their wallet (and captured at once for automatic capture).</summary>
    Task<IdempotentOutcome> Confirm(ConfirmMerchantPaymentCommand command, IdempotencyStamp stamp);

    Task<IdempotentOutcome> Capture(CaptureMerchantPaymentCommand command, IdempotencyStamp stamp);

    Task<IdempotentOutcome> Void(VoidMerchantPaymentCommand command, IdempotencyStamp stamp);

    Task<IdempotentOutcome> Refund(RefundMerchantPaymentCommand command, IdempotencyStamp stamp);

    /// <summary>The payment, to its merchant.</summary>
    Task<Outcome<PaymentView>> Get(string merchantId);

    /// <summary>Voids the authorization if it is past its expiry and still uncaptured (the merchant's sweep calls this).</summary>
    Task Expire();

    /// <summary>The payment's history, oldest first.</summary>
    Task<Outcome<PaymentEventPage>> Events(string merchantId);
}

/// <summary>Listings of a merchant's payments (key: the merchant id), read from the payments' rows.</summary>
[Alias("merchant-payment-list")]
public interface IMerchantPaymentListGrain : IGrainWithStringKey
{
    Task<Outcome<PaymentPage>> List(PaymentFilter filter, int limit, string? startingAfter);
}
