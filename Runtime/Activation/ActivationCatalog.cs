using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Diagnostics;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Persistence;

namespace Orleans.Payments.Runtime.Activation;

/// <summary>
/// The activations of this silo, by grain id, and the services they share. It delivers calls to local activations
/// (created on first use); on a single silo it is the call router itself.
/// </summary>
internal sealed class ActivationCatalog : IGrainCallRouter
{
    // A call meets a deactivated activation only in the short window between its removal and the lookup,
    // so a few attempts always suffice; the bound turns a bug into an error instead of a spin.
    private const int MaxDispatchAttempts = 16;

    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly GrainClassRegistry _classes;
    private readonly Lazy<IGrainFactory> _grainFactory;
    private readonly Lazy<IGrainCallRouter> _router;
    private volatile bool _closed;

    public ActivationCatalog(
        IServiceProvider services,
        GrainClassRegistry classes,
        GrainStorageRegistry storages,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        Services = services;
        _classes = classes;
        Storages = storages;
        Options = options.Value;
        Time = time;
        Logger = loggers.CreateLogger<ActivationCatalog>();
        _grainFactory = new Lazy<IGrainFactory>(() => services.GetRequiredService<IGrainFactory>());
        _router = new Lazy<IGrainCallRouter>(() => services.GetRequiredService<IGrainCallRouter>());
    }

    public IServiceProvider Services { get; }

    public GrainStorageRegistry Storages { get; }

    public GrainRuntimeOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>The silo's grain factory, whose calls go through the silo's router (this catalog, or the cluster's).</summary>
    public IGrainFactory GrainFactory => _grainFactory.Value;

    /// <summary>The silo's router (this catalog, or the cluster's): where calls go that must find the grain's owner.</summary>
    public IGrainCallRouter Router => _router.Value;

    public JsonSerializerOptions StateJson { get; } = new(JsonSerializerDefaults.Web);

    public int Count => _activations.Count;

    /// <summary>True once the silo has stopped taking calls (shutting down).</summary>
    public bool IsClosed => _closed;

    /// <summary>Whether this silo serves calls to the grain made here whoever its placement owner is (<see cref="StatelessWorkerAttribute"/>).</summary>
    public bool ServesLocally(GrainId grain) => _classes.IsStatelessWorker(grain.Type);

    public void Send(GrainId target, IGrainWorkItem call)
    {
        for (var attempt = 0; attempt < MaxDispatchAttempts; attempt++)
        {
            if (_closed)
            {
                call.Fail(new SiloUnavailableException($"The silo is shutting down; {target} cannot be activated here. Retry the call."));
                return;
            }

            GrainActivation activation;
            try
            {
                activation = _activations.GetOrAdd(target, static (id, catalog) => new GrainActivation(catalog, id, catalog._classes.Get(id.Type)), this);
            }
            catch (InvalidOperationException unknownGrainType)
            {
                call.Fail(unknownGrainType);
                return;
            }

            if (activation.TryEnqueue(call))
            {
                return;
            }

            // It deactivated between lookup and enqueue; make sure it is gone and look again.
            _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(target, activation));
        }

        call.Fail(new InvalidOperationException($"Could not deliver a call to {target} after {MaxDispatchAttempts} attempts."));
    }

    public void OnDeactivated(GrainActivation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));

    public void RecordCall(IGrainWorkItem call)
    {
        RuntimeMetrics.Calls.Add(1);
        if (RuntimeMetrics.CallLatency.Enabled)
        {
            RuntimeMetrics.CallLatency.Record(Stopwatch.GetElapsedTime(call.EnqueuedTimestamp).TotalMilliseconds);
        }
    }

    /// <summary>Deactivates activations idle for longer than their collection age.</summary>
    public int CollectIdle()
    {
        var now = Stopwatch.GetTimestamp();
        var collected = 0;
        foreach (var (_, activation) in _activations)
        {
            if (activation.IsIdleLongerThan(Options.CollectionAge, now))
            {
                activation.StartDeactivation(DeactivationReason.Collected);
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Deactivates the activations of grains this silo no longer owns (they come back at their new owner).</summary>
    public int DeactivateWhere(Func<GrainId, bool> misplaced)
    {
        var moved = 0;
        foreach (var (_, activation) in _activations)
        {
            if (misplaced(activation.Id))
            {
                activation.StartDeactivation(DeactivationReason.PlacementChanged);
                moved++;
            }
        }

        return moved;
    }

    /// <summary>Answers calls older than the call timeout with <see cref="GrainCallTimeoutException"/>.</summary>
    /// <remarks>
    /// Sweeps enumerate the dictionary itself: <c>Values</c> would take every bucket lock and copy every activation,
    /// each second, stalling activations being added meanwhile.
    /// </remarks>
    public void ExpireCalls()
    {
        var deadline = Stopwatch.GetTimestamp() - (long)(Options.CallTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var (_, activation) in _activations)
        {
            activation.ExpireCalls(deadline, Options.CallTimeout);
        }
    }

    /// <summary>Stops creating activations and deactivates every one, waiting at most the shutdown timeout.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        var activations = _activations.Values.ToArray();
        foreach (var activation in activations)
        {
            activation.StartDeactivation(DeactivationReason.ShuttingDown);
        }

        var all = Task.WhenAll(activations.Select(activation => activation.WhenDeactivated()));
        try
        {
            await all.WaitAsync(Options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
            Logger.LogInformation("Deactivated {Count} activations", activations.Length);
        }
        catch (TimeoutException)
        {
            var remaining = activations.Count(activation => activation.Status != ActivationStatus.Deactivated);
            Logger.LogWarning("{Remaining} of {Count} activations did not deactivate within {ShutdownTimeout}", remaining, activations.Length, Options.ShutdownTimeout);
        }
    }
}
