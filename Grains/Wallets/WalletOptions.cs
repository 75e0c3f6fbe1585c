namespace Payments.Grains.Wallets;

/// <summary>Wallet rules (section <c>Payments:Wallets</c>).</summary>
public sealed class WalletOptions
{
    public const string SectionName = "Payments:Wallets";

    /// <summary>Most a user may send in transfers per UTC day, in minor units. Default 1,000,000 ($10,000).</summary>
    public long DailySendLimit { get; set; } = 1_000_000;
}
