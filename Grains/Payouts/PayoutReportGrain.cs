using Payments.Grains.Interfaces.Paging;
using Payments.Grains.Interfaces.Payouts;
using Orleans;

namespace Payments.Grains.Payouts;

/// <summary>Reads what is owed from <c>payouts</c> (the partial indexes on pending rows keep this cheap).</summary>
[GrainType("payout-report")]
public sealed class PayoutReportGrain(PayoutStore store) : Grain, IPayoutReportGrain
{
    public Task<PendingPayouts> Pending(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, PageLimits.Max);
        return store.PendingReportAsync(limit);
    }
}
