using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Grains.Ledger;

/// <summary>What became of a ledger entry.</summary>
public abstract record LedgerResult
{
    /// <summary>Committed; <see cref="Response"/> is what was stored with it (null without idempotency).</summary>
    public sealed record Committed(LedgerBalances Balances, StoredResponse? Response) : LedgerResult;

    /// <summary>Not committed for a business reason (insufficient funds, unknown account); nothing changed.</summary>
    public sealed record Rejected(PaymentError Error) : LedgerResult;

    /// <summary>The idempotency key already has a record (another attempt committed first); nothing changed now.</summary>
    public sealed record Duplicate(string RequestHash, StoredResponse Response) : LedgerResult;
}
