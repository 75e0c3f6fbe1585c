namespace Payments.Grains.Payouts;

/// <summary>The stream a withdrawal publishes its payout to (see <c>WalletGrain.Withdraw</c>): one per user.</summary>
public static class PayoutStream
{
    public const string Namespace = "payouts";
    public const string PayoutRequested = "PayoutRequested";
}
