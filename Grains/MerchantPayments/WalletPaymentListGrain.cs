using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.MerchantPayments;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// A user's wallet payments to merchants, read from the payments' rows by payer: a query, so any silo may answer it.
/// </summary>
[StatelessWorker]
[GrainType("wallet-payment-list")]
public sealed class WalletPaymentListGrain(MerchantPaymentStore store) : Grain, IWalletPaymentListGrain
{
    public async Task<Outcome<WalletPaymentPage>> List(string? status, int limit, string? startingAfter)
    {
        if (PaymentListArguments.Check(limit, status, startingAfter) is { } invalid)
        {
            return invalid;
        }

        var payer = Guid.Parse(this.GetPrimaryKeyString());
        var (rows, hasMore) = PageRows.Trim(await store.ListForPayerAsync(payer, status, limit, startingAfter), limit);
        return new WalletPaymentPage(rows, hasMore);
    }
}
