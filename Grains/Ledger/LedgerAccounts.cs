using Payments.Grains.Interfaces.Identity;

namespace Payments.Grains.Ledger;

/// <summary>
/// Ledger account ids: one wallet account per user and currency (<c>wallet:{user}:{currency}</c>), a pending and an
/// available account per merchant and currency (<c>merchant:{merchant}:{currency}:pending</c>), and named system accounts.
/// </summary>
public static class LedgerAccounts
{
    private const string WalletPrefix = "wallet:";

    /// <summary>How histories name the bank's side of deposits and withdrawals.</summary>
    public const string BankCounterparty = "bank";

    public static string Wallet(UserId user, string currency) => $"{WalletPrefix}{user.Key}:{currency}";

    /// <summary>Where bank money enters (deposits) and leaves (withdrawals); it goes negative as deposits come in.</summary>
    public static string Bank(string currency) => $"system:bank:{currency}";

    /// <summary>Where card money enters: captures debit it (the networks owe it until settlement), refunds credit it.</summary>
    public static string CardClearing(string currency) => $"system:card_clearing:{currency}";

    /// <summary>The platform's fees.</summary>
    public static string Fees(string currency) => $"system:fees:{currency}";

    /// <summary>A merchant's captured money not yet settled; refunds come out of it and may take it below zero.</summary>
    public static string MerchantPending(string merchantId, string currency) => $"merchant:{merchantId}:{currency}:pending";

    /// <summary>A merchant's settled money, ready to be paid out (settlement moves it here from pending).</summary>
    public static string MerchantAvailable(string merchantId, string currency) => $"merchant:{merchantId}:{currency}:available";

    /// <summary>The user key of a wallet account; null for system accounts.</summary>
    public static string? WalletOwner(string accountId)
    {
        if (!accountId.StartsWith(WalletPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = accountId.LastIndexOf(':');
        return end > WalletPrefix.Length ? accountId[WalletPrefix.Length..end] : null;
    }

    /// <summary>The other side of a movement as a history shows it: the user of a wallet, or "bank".</summary>
    public static string Counterparty(string otherAccountId) => WalletOwner(otherAccountId) ?? BankCounterparty;
}
