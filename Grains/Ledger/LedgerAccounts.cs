using Orleans.Payments.Grains.Interfaces.Identity;

namespace Orleans.Payments.Grains.Ledger;

/// <summary>Ledger account ids: one wallet account per user and currency, and named system accounts.</summary>
public static class LedgerAccounts
{
    private const string WalletPrefix = "wallet:";

    public static string Wallet(UserId user, string currency) => $"{WalletPrefix}{user.Key}:{currency}";

    /// <summary>Where bank money enters (deposits) and leaves (withdrawals); it goes negative as deposits come in.</summary>
    public static string Bank(string currency) => $"system:bank:{currency}";
}
