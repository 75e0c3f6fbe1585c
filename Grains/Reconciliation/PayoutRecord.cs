namespace Payments.Grains.Reconciliation;

/// <summary>Money the project sent the bank: a user withdrawal or a merchant payout, by the reference the bank was given.</summary>
public sealed record PayoutRecord(string Reference, string Kind, long Amount, string Currency, string Status)
{
    public const string Withdrawal = "withdrawal";
    public const string MerchantPayout = "merchant_payout";
}
