using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Paging;

namespace Payments.Grains.Merchants;

/// <summary>A user's merchants, read from their rows: a query, so any silo may answer it.</summary>
[StatelessWorker]
[GrainType("merchant-owner")]
public sealed class MerchantOwnerGrain(MerchantStore store) : Grain, IMerchantOwnerGrain
{
    public async Task<Outcome<MerchantPage>> List(int limit, string? startingAfter)
    {
        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        if (startingAfter is not null && !PrefixedId.IsValid(startingAfter, PrefixedId.Merchant))
        {
            return PaymentError.Validation("startingAfter", "startingAfter is the id of the last merchant of the previous page.");
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListByOwnerAsync(this.GetPrimaryKeyString(), limit, startingAfter), limit);
        return new MerchantPage(rows, hasMore);
    }
}
