namespace Payments.Grains.Payouts;

/// <summary>Payout settings (section <c>Payments:Payouts</c>).</summary>
public sealed class PayoutOptions
{
    public const string SectionName = "Payments:Payouts";

    /// <summary>
    /// How often a user's unpaid payouts are sent to the bank again while it keeps failing (each call already retries
    /// a few times within seconds, see <c>Payments:Bank:Resilience</c>). Default 1 minute.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
