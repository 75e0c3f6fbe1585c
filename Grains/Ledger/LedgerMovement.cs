namespace Payments.Grains.Ledger;

/// <summary>
/// One leg of a ledger transaction: <paramref name="Amount"/> (positive, minor units) leaves the debit account and
/// reaches the credit account. Balanced by construction; a row of <c>ledger_entries</c>.
/// </summary>
public sealed record LedgerMovement(string DebitAccountId, string CreditAccountId, long Amount, string Currency);

/// <summary>What the payer said about a transfer, stored on its ledger row.</summary>
public sealed record TransferRemark(string Note, string Visibility);
