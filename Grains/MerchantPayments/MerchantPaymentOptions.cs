namespace Payments.Grains.MerchantPayments;

/// <summary>Merchant payment settings (section <c>Payments:MerchantPayments</c>).</summary>
public sealed class MerchantPaymentOptions
{
    public const string SectionName = "Payments:MerchantPayments";

    /// <summary>The percentage part of the fee, in basis points (290 = 2.9%).</summary>
    public int FeePercentBasisPoints { get; set; } = 290;

    /// <summary>The fixed part of the fee, in minor units of the payment's currency (30 = 30¢).</summary>
    public long FeeFixed { get; set; } = 30;

    /// <summary>An authorization not captured within this is voided by the payment's reminder. Default 7 days.</summary>
    public TimeSpan AuthorizationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an expiry that failed (the database was down) is tried again.</summary>
    public TimeSpan ExpiryRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The fee on a captured amount: the percentage rounded half up to the minor unit, plus the fixed part, never more
    /// than the amount itself and never negative. Integer arithmetic only.
    /// </summary>
    public long FeeOn(long captured)
    {
        if (captured <= 0)
        {
            return 0;
        }

        var percent = checked((captured * FeePercentBasisPoints) + 5_000) / 10_000;
        return Math.Clamp(checked(percent + FeeFixed), 0, captured);
    }
}
