using Orleans;

namespace Payments.Grains.Interfaces.Ledger;

/// <summary>Operator audit of the whole ledger (key: "default").</summary>
[Alias("ledger-audit")]
public interface ILedgerAuditGrain : IGrainWithStringKey
{
    Task<LedgerAuditReport> Audit();
}

/// <summary>
/// Balanced when: every currency's accounts sum to zero, every transaction has all its legs, every account
/// row equals the sum of its postings and holds the sum of its pending holds, no wallet is negative, and nothing points
/// at a missing account or transaction.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LedgerAuditReport(
    bool Balanced,
    IReadOnlyList<CurrencyTotal> Currencies,
    long Accounts,
    long Transactions,
    long Postings,
    IReadOnlyList<string> UnbalancedTransactions,
    IReadOnlyList<string> AccountsNotMatchingPostings,
    IReadOnlyList<string> AccountsNotMatchingHolds,
    IReadOnlyList<string> NegativeWallets,
    IReadOnlyList<string> Orphans,
    DateTimeOffset CheckedAt);

[GenerateSerializer, Immutable]
public sealed record CurrencyTotal(string Currency, long Sum, long WalletTotal, long SystemTotal, long MerchantTotal);
