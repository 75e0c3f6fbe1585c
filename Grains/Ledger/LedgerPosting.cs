namespace Orleans.Payments.Grains.Ledger;

/// <summary>
/// One side of a ledger transaction: a signed amount on one account (credit positive).
/// <paramref name="WalletOwner"/> is the user id when the account is a wallet, so the writer can tell its grain.
/// </summary>
public sealed record LedgerPosting(string AccountId, long Amount, string Currency, string? Counterparty, string? WalletOwner);
