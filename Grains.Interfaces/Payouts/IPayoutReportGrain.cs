using Orleans;

namespace Payments.Grains.Interfaces.Payouts;

/// <summary>Operators' view of payouts the bank has not confirmed yet (key: "default").</summary>
[Alias("payout-report")]
public interface IPayoutReportGrain : IGrainWithStringKey
{
    /// <summary>How many payouts are owed and how much, and the <paramref name="limit"/> oldest of them.</summary>
    Task<PendingPayouts> Pending(int limit);
}

/// <summary>Payouts still owed: totals per currency, and the oldest ones first.</summary>
[GenerateSerializer, Immutable]
public sealed record PendingPayouts(long Count, IReadOnlyList<PendingPayoutTotal> Totals, IReadOnlyList<PendingPayout> Oldest);

[GenerateSerializer, Immutable]
public sealed record PendingPayoutTotal(string Currency, long Count, long Amount);

/// <summary>One payout owed to a user's bank, with how often the bank was asked and what it last said.</summary>
[GenerateSerializer, Immutable]
public sealed record PendingPayout(string TransactionId, string UserId, long Amount, string Currency, int Attempts, string? LastError, DateTimeOffset RequestedAt);
