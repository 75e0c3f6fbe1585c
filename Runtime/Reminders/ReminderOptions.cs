namespace Orleans.Payments.Runtime.Reminders;

/// <summary>Reminder settings (section <c>Payments:Reminders</c>).</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Payments:Reminders";

    /// <summary>How often due reminders are claimed; a reminder fires at most this late. Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claimed one-shot reminder waits before it is claimed again if its firing never completed (the grain
    /// threw, the call failed, the silo died). Keep it longer than a grain call's timeout, so a slow firing is not
    /// doubled. Default 1 minute.
    /// </summary>
    public TimeSpan OneShotRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
