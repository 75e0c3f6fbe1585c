using Orleans;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Interfaces.MerchantPayments;

/// <summary>
/// Listings of the merchant payments a user pays from their wallet (key: the user id), read from the payments' rows:
/// the ones awaiting their confirmation are <c>requires_confirmation</c>.
/// </summary>
[Alias("wallet-payment-list")]
public interface IWalletPaymentListGrain : IGrainWithStringKey
{
    Task<Outcome<WalletPaymentPage>> List(string? status, int limit, string? startingAfter);
}
