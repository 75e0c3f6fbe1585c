namespace Payments.Grains.CardWallet;

/// <summary>The card wallet's settings (section <c>Payments:CardWallet</c>).</summary>
public sealed class CardWalletOptions
{
    public const string SectionName = "Payments:CardWallet";

    /// <summary>How long a card's verification stays locked after three wrong codes. Default 15 min.</summary>
    public TimeSpan VerificationLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>While a lost device's cards are not all suspended, how often its grain tries again. Default 5 s.</summary>
    public TimeSpan LostDeviceRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The reminder that finishes a lost device's suspensions after a restart or a move to another silo. Default 1 min.</summary>
    public TimeSpan LostDeviceReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
