using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Paging;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// A merchant's payment listings, read from the payments' rows (which each payment's grain writes with its changes),
/// never from the ledger and never by activating payment grains: a query, so any silo may answer it.
/// </summary>
[StatelessWorker]
[GrainType("merchant-payment-list")]
public sealed class MerchantPaymentListGrain(MerchantPaymentStore store) : Grain, IMerchantPaymentListGrain
{
    public async Task<Outcome<PaymentPage>> List(PaymentFilter filter, int limit, string? startingAfter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        if (startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.Payment))
        {
            return PaymentError.Validation("startingAfter", "startingAfter is the id of the last payment of the previous page.");
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListAsync(this.GetPrimaryKeyString(), filter, limit, startingAfter), limit);
        return new PaymentPage(rows, hasMore);
    }
}
