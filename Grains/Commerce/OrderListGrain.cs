using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Grains.Commerce;

[StatelessWorker]
[GrainType("order-list")]
public sealed class OrderListGrain(OrderStore store) : Grain, IOrderListGrain
{
    public async Task<Outcome<OrderPage>> List(string? buyerId, string? merchantId, string? status, int limit, string? startingAfter)
    {
        if (status is not null && !OrderStatus.All.Contains(status))
        {
            return PaymentError.Validation("status", $"status is one of {string.Join(", ", OrderStatus.All)}.");
        }

        if (startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.Order))
        {
            return PaymentError.Validation("startingAfter", "startingAfter is an order id (ord_…).");
        }

        if (buyerId is not null && !UserId.TryParse(buyerId, out _))
        {
            return new OrderPage([], false);
        }

        return await store.ListAsync(buyerId, merchantId, status, limit, startingAfter);
    }

    public Task<OrderPage> Stuck(int limit) => store.StuckAsync(limit);
}
