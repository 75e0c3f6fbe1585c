namespace Payments.Grains.Settlements;

/// <summary>Settlement and merchant payout settings (section <c>Payments:Settlement</c>).</summary>
public sealed class SettlementOptions
{
    public const string SectionName = "Payments:Settlement";

    /// <summary>The UTC hour (0–23) each merchant's daily settlement runs at. Default 02:00.</summary>
    public int HourUtc { get; set; } = 2;

    /// <summary>How old captured money must be before it settles (T+2 by default).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// Ledger rows younger than this never settle, whatever <see cref="Delay"/> says: a ledger transaction still in
    /// flight may hold a lower sequence than a committed one, and a settlement must not step past it. Default 1 minute.
    /// </summary>
    public TimeSpan CommitMargin { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often pending payouts are sent to the bank again while it keeps failing. Default 1 minute.</summary>
    public TimeSpan PayoutRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The latest instant whose ledger rows a settlement at <paramref name="now"/> covers.</summary>
    public DateTimeOffset CutoffAt(DateTimeOffset now) => now - (Delay > CommitMargin ? Delay : CommitMargin);

    /// <summary>How long from <paramref name="now"/> until the next daily run at <see cref="HourUtc"/>.</summary>
    public TimeSpan UntilNextRun(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(HourUtc);
        return (today > now ? today : today.AddDays(1)) - now;
    }
}
