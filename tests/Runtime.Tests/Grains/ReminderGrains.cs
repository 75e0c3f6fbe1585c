using System.Collections.Concurrent;

namespace Orleans.Payments.Runtime.Tests.Grains;

public interface IReminderGrain : IRemindable
{
    Task Schedule(string name, int dueMilliseconds, int periodMilliseconds);

    Task<bool> Cancel(string name);
}

/// <summary>
/// Records every firing in a process-wide log, so tests see firings across activations and silos. A reminder named
/// <see cref="FailsOnce"/> throws the first time it is received.
/// </summary>
public sealed class ReminderGrain : Grain, IReminderGrain
{
    public const string FailsOnce = "fails-once";

    private static readonly ConcurrentDictionary<string, bool> s_failed = new();

    public static ConcurrentQueue<(string Grain, string Reminder)> Firings { get; } = new();

    public Task Schedule(string name, int dueMilliseconds, int periodMilliseconds) =>
        RegisterReminderAsync(name, TimeSpan.FromMilliseconds(dueMilliseconds), TimeSpan.FromMilliseconds(periodMilliseconds));

    public Task<bool> Cancel(string name) => UnregisterReminderAsync(name);

    public Task ReceiveReminder(string name)
    {
        if (name == FailsOnce && s_failed.TryAdd(GetPrimaryKeyString(), true))
        {
            throw new InvalidOperationException("The first firing fails.");
        }

        Firings.Enqueue((GetPrimaryKeyString(), name));
        return Task.CompletedTask;
    }

    public static int CountFor(string grain) => Firings.Count(firing => firing.Grain == grain);
}
