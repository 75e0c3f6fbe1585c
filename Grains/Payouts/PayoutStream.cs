namespace Orleans.Payments.Grains.Payouts;

/// <summary>The stream a withdrawal publishes its payout to (see <c>WalletGrain.Withdraw</c>): one per user.</summary>
public static class PayoutStream
{
    public const string Namespace = "payouts";
    public const string PayoutRequested = "PayoutRequested";
}

/// <summary>A committed withdrawal's money, owed to the user's bank; <paramref name="TransactionId"/> is the bank call's idempotency key.</summary>
public sealed record PayoutRequest(string TransactionId, string UserId, long Amount, string Currency, DateTimeOffset RequestedAt);
