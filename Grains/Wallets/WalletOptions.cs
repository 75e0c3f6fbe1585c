namespace Payments.Grains.Wallets;

/// <summary>Wallet rules (section <c>Payments:Wallets</c>).</summary>
public sealed class WalletOptions
{
    public const string SectionName = "Payments:Wallets";

    /// <summary>Most a user may send in transfers per UTC day, in minor units. Default 1,000,000 ($10,000).</summary>
    public long DailySendLimit { get; set; } = 1_000_000;

    /// <summary>The fee of an instant cash-out to a debit card, in basis points of the amount. Default 175 (1.75%).</summary>
    public int InstantCashOutFeeBasisPoints { get; set; } = 175;

    /// <summary>The least an instant cash-out costs, in minor units. Default 25 (25¢).</summary>
    public long InstantCashOutMinFee { get; set; } = 25;

    /// <summary>The most an instant cash-out costs, in minor units. Default 2,500 ($25).</summary>
    public long InstantCashOutMaxFee { get; set; } = 2_500;

    /// <summary>The fee of an instant cash-out of <paramref name="amount"/>: its share, rounded half away from zero, within the floor and the cap.</summary>
    public long InstantCashOutFee(long amount) =>
        Math.Clamp((long)Math.Round(amount * (decimal)InstantCashOutFeeBasisPoints / 10_000m, MidpointRounding.AwayFromZero), InstantCashOutMinFee, InstantCashOutMaxFee);
}
