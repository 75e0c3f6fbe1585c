using Payments.Grains.Interfaces.Identity;

namespace Payments.Grains.Ledger;

/// <summary>
/// Ledger account ids: one wallet account per user and currency (<c>wallet:{user}:{currency}</c>), a pending and an
/// available account per merchant and currency (<c>merchant:{merchant}:{currency}:pending</c>), and named system accounts.
/// </summary>
public static class LedgerAccounts
{
    private const string WalletPrefix = "wallet:";

    private const string MerchantPrefix = "merchant:";
    private const string CardClearingPrefix = "system:card_clearing:";
    private const string FeesPrefix = "system:fees:";

    /// <summary>How histories name the bank's side of deposits and withdrawals.</summary>
    public const string BankCounterparty = "bank";

    /// <summary>How histories name the card networks' side of card top-ups and instant cash-outs.</summary>
    public const string CardCounterparty = "card";

    /// <summary>How histories name the platform's fee account.</summary>
    public const string FeesCounterparty = "fees";

    public static string Wallet(UserId user, string currency) => $"{WalletPrefix}{user.Key}:{currency}";

    /// <summary>Where bank money enters (deposits) and leaves (withdrawals); it goes negative as deposits come in.</summary>
    public static string Bank(string currency) => $"system:bank:{currency}";

    /// <summary>Where card money enters: captures debit it (the networks owe it until settlement), refunds credit it.</summary>
    public static string CardClearing(string currency) => $"{CardClearingPrefix}{currency}";

    /// <summary>The platform's fees.</summary>
    public static string Fees(string currency) => $"{FeesPrefix}{currency}";

    /// <summary>A merchant's captured money not yet settled; refunds come out of it and may take it below zero.</summary>
    public static string MerchantPending(string merchantId, string currency) => $"{MerchantPrefix}{merchantId}:{currency}:pending";

    /// <summary>A merchant's settled money, ready to be paid out (settlement moves it here from pending).</summary>
    public static string MerchantAvailable(string merchantId, string currency) => $"{MerchantPrefix}{merchantId}:{currency}:available";

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

    /// <summary>
    /// The other side of a movement as a history shows it: the user of a wallet, the merchant (<c>mer_…</c>) of a
    /// merchant account, "card" for the card networks (instant cash-outs, card top-ups), "fees", or "bank".
    /// </summary>
    public static string Counterparty(string otherAccountId)
    {
        ArgumentNullException.ThrowIfNull(otherAccountId);
        return WalletOwner(otherAccountId) ?? MerchantOwner(otherAccountId)
            ?? (otherAccountId.StartsWith(CardClearingPrefix, StringComparison.Ordinal) ? CardCounterparty
                : otherAccountId.StartsWith(FeesPrefix, StringComparison.Ordinal) ? FeesCounterparty
                : BankCounterparty);
    }

    /// <summary>The merchant id of a merchant account; null for any other account.</summary>
    public static string? MerchantOwner(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (!accountId.StartsWith(MerchantPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = accountId.IndexOf(':', MerchantPrefix.Length);
        return end > MerchantPrefix.Length ? accountId[MerchantPrefix.Length..end] : null;
    }
}
