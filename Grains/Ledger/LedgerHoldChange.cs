namespace Payments.Grains.Ledger;

/// <summary>
/// A change to a hold (a pending posting, TigerBeetle's two-phase transfer), applied by the ledger writer against the
/// hold's locked row in the same database transaction as the entry's movements. The writer refuses a change the row
/// does not allow (posting a hold that is no longer pending, refunding more than was posted), so a payment cannot be
/// captured twice or over-refunded, even by two activations of its grain at once.
/// </summary>
public abstract record LedgerHoldChange(Guid HoldId)
{
    /// <summary>
    /// Reserves <paramref name="Amount"/> on the debit account until it is posted, voided or expires: a wallet's
    /// available funds drop by it at once. The entry moves no money for it.
    /// </summary>
    public sealed record Place(Guid HoldId, string DebitAccountId, string CreditAccountId, long Amount, string Currency, DateTimeOffset ExpiresAt)
        : LedgerHoldChange(HoldId);

    /// <summary>
    /// Posts <paramref name="Amount"/> (at most the hold's) and releases the rest. The entry must move exactly that amount
    /// from the hold's debit account to its credit account.
    /// </summary>
    public sealed record Post(Guid HoldId, long Amount) : LedgerHoldChange(HoldId);

    /// <summary>
    /// Releases a pending hold on <paramref name="DebitAccountId"/> (named so the writer locks that account's row):
    /// <paramref name="Expired"/> when its authorization ran out, voided otherwise.
    /// </summary>
    public sealed record Release(Guid HoldId, string DebitAccountId, bool Expired) : LedgerHoldChange(HoldId);

    /// <summary>
    /// Returns <paramref name="Amount"/> of a posted hold; all refunds together never exceed what was posted. The entry
    /// carries the money back.
    /// </summary>
    public sealed record Refund(Guid HoldId, long Amount) : LedgerHoldChange(HoldId);
}
