using Microsoft.Extensions.DependencyInjection;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Reminders;
using Orleans.Payments.Runtime.Streams;
using Orleans.Payments.Runtime.Timers;

namespace Orleans.Payments.Runtime;

/// <summary>
/// Base class of grain implementations. One activation runs one turn at a time on its own scheduler;
/// grain code therefore needs no locks and must never use <c>ConfigureAwait(false)</c>.
/// </summary>
public abstract class Grain
{
    private GrainActivation? _activation;

    /// <summary>This grain's identity.</summary>
    public GrainId GrainId => Activation.Id;

    /// <summary>The grain's string key.</summary>
    public string GetPrimaryKeyString() => Activation.Id.Key;

    /// <summary>Creates references to other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.Catalog.GrainFactory;

    /// <summary>Runs after the grain's persistent state has been read and before its first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs when the activation is collected or the silo shuts down; write what must survive here.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once the current turn has ended and nothing else is running.</summary>
    protected void DeactivateOnIdle() => Activation.StartDeactivation(DeactivationReason.Requested);

    /// <summary>
    /// Registers an in-memory timer bound to this activation. Ticks run as turns of the grain (never in parallel
    /// with a call, never overlapping each other) and stop when the activation deactivates.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Activation.RegisterTimer(callback, dueTime, period);
    }

    /// <summary>
    /// Registers (or replaces) a durable reminder: <see cref="IRemindable.ReceiveReminder"/> is called after
    /// <paramref name="dueTime"/> and then every <paramref name="period"/> (zero: once), surviving restarts and
    /// reactivating the grain. The grain's interface must extend <see cref="IRemindable"/>.
    /// </summary>
    protected Task RegisterReminderAsync(string name, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (this is not IRemindable)
        {
            throw new InvalidOperationException($"{GetType().Name} must implement IRemindable to receive reminders.");
        }

        return Activation.Catalog.Services.GetRequiredService<ReminderTable>().RegisterAsync(GrainId, name, dueTime, period);
    }

    /// <summary>Removes a reminder; false if there was none.</summary>
    protected Task<bool> UnregisterReminderAsync(string name) =>
        Activation.Catalog.Services.GetRequiredService<ReminderTable>().UnregisterAsync(GrainId, name);

    /// <summary>
    /// Subscribes this grain to <paramref name="stream"/> (persisted: it survives restarts) until
    /// <see cref="UnsubscribeAsync"/>. Events arrive through <see cref="IStreamSubscriber.ReceiveStreamEvents"/>, so the
    /// grain's interface must extend <see cref="IStreamSubscriber"/>. The grain receives the stream's events that the
    /// pump has not delivered yet when the subscription commits, so possibly a few from just before it.
    /// </summary>
    protected Task SubscribeAsync(StreamId stream)
    {
        if (this is not IStreamSubscriber)
        {
            throw new InvalidOperationException($"{GetType().Name} must implement IStreamSubscriber to subscribe to streams.");
        }

        return Activation.Catalog.Services.GetRequiredService<StreamSubscriptionTable>().SubscribeAsync(stream, GrainId);
    }

    /// <summary>Ends an explicit subscription; false if there was none. Events already read by the pump may still arrive.</summary>
    protected Task<bool> UnsubscribeAsync(StreamId stream) =>
        Activation.Catalog.Services.GetRequiredService<StreamSubscriptionTable>().UnsubscribeAsync(stream, GrainId);

    internal GrainActivation Activation =>
        _activation ?? throw new InvalidOperationException("The grain is not attached to an activation yet; do not call runtime members from the constructor.");

    internal void Attach(GrainActivation activation) => _activation = activation;
}
