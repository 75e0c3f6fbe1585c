using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.MerchantPayments;

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
        if (PaymentListArguments.Check(limit, filter.Status, startingAfter) is { } invalid)
        {
            return invalid;
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListAsync(this.GetPrimaryKeyString(), filter, limit, startingAfter), limit);
        return new PaymentPage(rows, hasMore);
    }
}
