namespace Payments.Grains.Ledger;

/// <summary>The kinds of ledger transaction (the <c>type</c> column of <c>ledger_entries</c>).</summary>
public static class LedgerEntryTypes
{
    public const string Deposit = "deposit";
    public const string Withdrawal = "withdrawal";
    public const string Transfer = "transfer";

    /// <summary>A merchant payment's capture: the payer's money to the merchant's pending balance, and the fee.</summary>
    public const string Capture = "capture";

    /// <summary>A merchant payment's refund: from the merchant's balance back to where the money came from.</summary>
    public const string Refund = "refund";

    /// <summary>A merchant's settlement: net captured money from pending to available, and the payout of available to the bank.</summary>
    public const string Settlement = "settlement";

    /// <summary>A merchant payout the bank refused, back from the bank's account to the merchant's available balance.</summary>
    public const string PayoutReturn = "payout_return";

    /// <summary>An entry that only places or releases holds (writes no ledger rows).</summary>
    public const string Hold = "hold";
}
