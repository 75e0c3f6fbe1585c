using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Interfaces.Commerce;

/// <summary>
/// One order and its saga (key: its id, "ord_…"): reserve stock, authorize the payment, capture it, fulfil, each step
/// logged durably first and idempotent by order and step, compensated in reverse order when a later step fails.
/// Non-reentrant: a cancel or a refund runs between the saga's steps, never inside one.
/// </summary>
[Alias("order")]
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Records the order (201, pending) with its idempotency record, then runs its saga as far as it goes now.</summary>
    Task<IdempotentOutcome> Place(PlaceOrderCommand command, IdempotencyStamp stamp);

    /// <summary>The order, to its buyer (a user id) or its merchant (a merchant id); NOT_FOUND for anyone else.</summary>
    Task<Outcome<OrderView>> Get(string party);

    Task<Outcome<OrderEventPage>> Events(string party);

    /// <summary>The buyer cancels an order not yet fulfilled: the payment is voided or refunded and the stock released.</summary>
    Task<Outcome<OrderView>> Cancel(string buyerId);

    /// <summary>The merchant refunds a fulfilled order: the payment is refunded and the license revoked.</summary>
    Task<Outcome<OrderView>> Refund(string merchantId, string actor);

    /// <summary>An operator retries a stuck order's compensation from the start of its limit.</summary>
    Task<Outcome<OrderView>> Retry(string actor);
}

/// <summary>Listings of orders (a stateless worker reading the orders' rows).</summary>
[Alias("order-list")]
public interface IOrderListGrain : IGrainWithIntegerKey
{
    /// <summary>A buyer's orders (<paramref name="buyerId"/>) or a merchant's (<paramref name="merchantId"/>), newest first.</summary>
    Task<Outcome<OrderPage>> List(string? buyerId, string? merchantId, string? status, int limit, string? startingAfter);

    /// <summary>The operator queue: stuck orders, oldest first.</summary>
    Task<OrderPage> Stuck(int limit);
}
