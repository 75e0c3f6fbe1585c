using Orleans.Timers;

namespace Payments.Tests.Grains;

/// <summary>Registers a reminder for another grain, as that grain would have before a crash (Orleans only registers reminders from a grain's context).</summary>
public interface IReminderSeederGrain : IGrainWithStringKey
{
    Task Register(GrainId target, string reminderName, TimeSpan dueTime, TimeSpan period);
}

public sealed class ReminderSeederGrain(IReminderRegistry reminders) : Grain, IReminderSeederGrain
{
    public Task Register(GrainId target, string reminderName, TimeSpan dueTime, TimeSpan period) =>
        reminders.RegisterOrUpdateReminder(target, reminderName, dueTime, period);
}
