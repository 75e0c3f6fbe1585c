using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Wallets;

/// <summary>
/// The wallet rules' refusals, given by the wallet grain at admission and by the ledger committer against the
/// locked row (the last word when a grain's cache is stale or two activations of one wallet coexist).
/// </summary>
internal static class WalletRefusals
{
    public static PaymentError Frozen() =>
        new(ErrorCodes.AccountFrozen, "This wallet is frozen; sending and withdrawing are disabled.");

    public static PaymentError DailyLimitExceeded(long limit, long sentToday) =>
        new(ErrorCodes.DailyLimitExceeded, $"This transfer would exceed the daily send limit of {limit} (sent today: {sentToday}).", "amount");
}
