namespace Payments.Grains.Interfaces.Wallets;

/// <summary>
/// A wallet's balances in minor units: <c>Balance</c> is committed in the ledger; <c>Available</c> is what can be
/// spent now (balance minus pending debits and holds); <c>Held</c> is reserved by holds.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WalletView(long Balance, long Available, long Held, string Currency, string Status);

/// <summary>The response to a deposit or withdrawal.</summary>
[GenerateSerializer, Immutable]
public sealed record MovementReceipt(string TransactionId, long Balance, long? Fee = null);

/// <summary>
/// One line of a wallet's history: amount signed (credit positive), balance right after it; for a merchant payment's
/// capture or refund, the payment and, when an order paid with it, the order.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry(
    string Id, string Type, long Amount, long BalanceAfter, string? Counterparty, DateTimeOffset CreatedAt,
    string? Payment = null, string? Order = null);

[GenerateSerializer, Immutable]
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Data, bool HasMore);

public static class WalletStatus
{
    public const string Active = "active";
    public const string Frozen = "frozen";
}

public static class HistoryTypes
{
    public const string Deposit = "deposit";
    public const string Withdrawal = "withdrawal";
    public const string TransferIn = "transfer_in";
    public const string TransferOut = "transfer_out";
}

/// <summary>Limits of deposits and withdrawals and of history pages.</summary>
public static class WalletLimits
{
    public const long MinMovement = 1;
    public const long MaxMovement = 10_000_000;
    public const int MaxHistoryPage = 100;
    public const int DefaultHistoryPage = 20;
}
