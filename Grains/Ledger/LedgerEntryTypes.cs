namespace Payments.Grains.Ledger;

/// <summary>The kinds of ledger transaction (the <c>type</c> column of <c>ledger_entries</c>).</summary>
public static class LedgerEntryTypes
{
    public const string Deposit = "deposit";
    public const string Withdrawal = "withdrawal";
    public const string Transfer = "transfer";
}
