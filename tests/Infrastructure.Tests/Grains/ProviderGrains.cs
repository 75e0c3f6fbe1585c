using System.Collections.Concurrent;
using Payments.Infrastructure.Tests.Infrastructure;

namespace Payments.Infrastructure.Tests.Grains;

/// <summary>A grain that registers a periodic reminder and notes each tick (which silo, when), for the reminder tests.</summary>
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task Stop();
}

public sealed record ReminderTick(SiloAddress Silo, DateTimeOffset At);

// Placed on the silo that first calls it, so a test decides which silo each probe lives on.
[GrainType("reminder-probe")]
[Orleans.Placement.PreferLocalPlacement]
public sealed class ReminderProbeGrain(ILocalSiloDetails silo) : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    /// <summary>Ticks by grain key. Static: every silo of a test runs in this process.</summary>
    public static ConcurrentDictionary<string, ConcurrentQueue<ReminderTick>> Ticks { get; } = new();

    public static IReadOnlyList<ReminderTick> TicksOf(string key) => Ticks.TryGetValue(key, out var ticks) ? ticks.ToArray() : [];

    public Task Start(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task Stop()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.GetOrAdd(this.GetPrimaryKeyString(), _ => new()).Enqueue(new ReminderTick(silo.SiloAddress, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }
}

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public string? Writer { get; set; }
}

/// <summary>Grain state over ADO.NET storage, written only when asked, so tests control who writes when.</summary>
public interface IStateProbeGrain : IGrainWithStringKey
{
    Task<ProbeState> Get();

    Task<string?> ETag();

    Task Set(int value, string writer);

    Task Clear();

    Task Deactivate();
}

[GrainType("state-probe")]
public sealed class StateProbeGrain([PersistentState("probe", AdoNetSilo.StorageName)] IPersistentState<ProbeState> state) : Grain, IStateProbeGrain
{
    public Task<ProbeState> Get() => Task.FromResult(state.State);

    public Task<string?> ETag() => Task.FromResult(state.Etag);

    public Task Set(int value, string writer)
    {
        state.State.Value = value;
        state.State.Writer = writer;
        return state.WriteStateAsync();
    }

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
