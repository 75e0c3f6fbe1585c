namespace Payments.Grains;

/// <summary>Reminder helpers the domain's grains share (Orleans reminders are periodic and addressed by handle).</summary>
internal static class GrainReminders
{
    /// <summary>Removes the grain's reminder <paramref name="name"/> if it has one; a one-shot job calls this once its work is done.</summary>
    public static async Task UnregisterReminderIfAnyAsync(this Grain grain, string name)
    {
        var reminder = await grain.GetReminder(name);
        if (reminder is not null)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
