using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Orleans;

namespace Payments.Grains.Interfaces.Requests;

/// <summary>
/// One payment request (key: request id, a UUIDv7). Non-reentrant: pay, decline, cancel and expiry of one request
/// run one at a time, and every state change is a conditional UPDATE of its row, so two activations cannot both win.
/// </summary>
[Alias("payment-request")]
public interface IPaymentRequestGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the request under this grain's key, committed with the idempotency record of <paramref name="stamp"/> when
    /// the caller sent a key; 201 with a <see cref="PaymentRequestView"/>, a 4xx error, or the answer already recorded
    /// under the key.
    /// </summary>
    Task<IdempotentOutcome> Create(CreatePaymentRequestCommand command, IdempotencyStamp? stamp);

    /// <summary>The requestee pays through the transfer path; 201 with a <see cref="PayReceipt"/> or a 4xx error.</summary>
    Task<IdempotentOutcome> Pay(PayRequestCommand command);

    /// <summary>The requestee declines a pending request.</summary>
    Task<Outcome<PaymentRequestView>> Decline(string userId);

    /// <summary>The requester withdraws a pending request.</summary>
    Task<Outcome<PaymentRequestView>> Cancel(string userId);
}
