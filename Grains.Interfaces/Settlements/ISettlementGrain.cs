using Orleans;
using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Interfaces.Settlements;

/// <summary>
/// A merchant's settlement and payouts (key: the merchant id). Once a day, at the configured UTC hour, on an Orleans
/// reminder, and whenever an operator asks: captured money older than the settlement delay moves from pending to
/// available, and the whole available balance is paid out to the merchant's bank.
/// </summary>
[Alias("settlement")]
public interface ISettlementGrain : IGrainWithStringKey
{
    /// <summary>Registers the daily reminder (idempotent); called when the merchant is created.</summary>
    Task Schedule();

    /// <summary>Settles and pays out now; NOT_FOUND for an unknown merchant.</summary>
    Task<Outcome<SettlementRun>> RunNow();

    /// <summary>The merchant's payouts, newest first; <paramref name="status"/> is pending, paid or failed, or null for all.</summary>
    Task<Outcome<MerchantPayoutPage>> Payouts(string? status, int limit, string? startingAfter);
}
