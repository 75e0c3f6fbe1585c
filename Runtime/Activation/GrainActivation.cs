using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Payments.Runtime.Diagnostics;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Persistence;
using Orleans.Payments.Runtime.Timers;

namespace Orleans.Payments.Runtime.Activation;

/// <summary>
/// One activation of a grain and its message loop. The activation is its own exclusive scheduler: it is the
/// <see cref="SynchronizationContext"/> that grain code's awaits resume on, and the thread-pool work item
/// that drains its queues, so no two segments of one activation ever run at the same time.
/// Two queues feed the loop: segments (continuations of turns already running, always runnable) and requests
/// (new turns, started only when the grain is not busy, or at once for a [Reentrant] grain).
/// </summary>
internal sealed class GrainActivation : SynchronizationContext, IThreadPoolWorkItem
{
    // Items run per scheduling pass before yielding the thread, so one hot grain cannot starve the others.
    private const int ItemsPerPass = 128;

    private readonly GrainClass _class;
    private Grain? _grain;
    private ILoadablePersistentState[] _states = [];
    private Queue<(SendOrPostCallback Callback, object? State)>? _segments;
    private Queue<IGrainWorkItem>? _requests;
    private List<IGrainWorkItem>? _running;
    private List<GrainTimer>? _timers;
    private TaskCompletionSource? _deactivated;
    private long _lastActiveTimestamp;
    private ActivationStatus _status;
    private DeactivationReason? _deactivationReason;
    private bool _scheduled;
    private bool _lifecycleRunning;

    public GrainActivation(ActivationCatalog catalog, GrainId id, GrainClass grainClass)
    {
        Catalog = catalog;
        Id = id;
        _class = grainClass;
        _lastActiveTimestamp = Stopwatch.GetTimestamp();
    }

    public GrainId Id { get; }

    public ActivationCatalog Catalog { get; }

    public ActivationStatus Status
    {
        get
        {
            lock (this)
            {
                return _status;
            }
        }
    }

    /// <summary>Queues a call. False when the activation is gone: the router must ask the catalog again.</summary>
    public bool TryEnqueue(IGrainWorkItem request)
    {
        bool schedule;
        lock (this)
        {
            if (_status == ActivationStatus.Deactivated)
            {
                return false;
            }

            _requests ??= new Queue<IGrainWorkItem>();
            if (_requests.Count >= Catalog.Options.MaxQueuedRequestsPerActivation)
            {
                request.Fail(new GrainOverloadedException(
                    $"{Id} has {_requests.Count} calls queued, the limit set by {nameof(Hosting.GrainRuntimeOptions.MaxQueuedRequestsPerActivation)}; retry later."));
                return true;
            }

            var now = Stopwatch.GetTimestamp();
            request.EnqueuedTimestamp = now;
            _lastActiveTimestamp = now;
            _requests.Enqueue(request);
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    /// <summary>Continuations of this grain's turns come here (await resumes on the activation's context).</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        bool schedule;
        lock (this)
        {
            (_segments ??= new Queue<(SendOrPostCallback, object?)>()).Enqueue((d, state));
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code cannot block on its own activation; await instead.");

    public override SynchronizationContext CreateCopy() => this;

    public void Execute()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var processed = 0; ; processed++)
            {
                (SendOrPostCallback Callback, object? State) segment = default;
                IGrainWorkItem? request = null;
                var lifecycle = ActivationStatus.Created;
                lock (this)
                {
                    if (processed == ItemsPerPass)
                    {
                        // Stay scheduled and continue on a fresh pass behind other work.
                        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                        return;
                    }

                    if (_segments is { Count: > 0 })
                    {
                        segment = _segments.Dequeue();
                    }
                    else if (_status == ActivationStatus.Created)
                    {
                        _status = ActivationStatus.Activating;
                        _lifecycleRunning = true;
                        lifecycle = ActivationStatus.Activating;
                    }
                    else if (_status == ActivationStatus.Active && _requests is { Count: > 0 } && (_class.IsReentrant || _running is not { Count: > 0 }))
                    {
                        request = _requests.Dequeue();
                        if (request.IsAnswered)
                        {
                            continue; // Timed out while queued; its caller has moved on.
                        }

                        (_running ??= []).Add(request);
                    }
                    else if (_status == ActivationStatus.Deactivating && !_lifecycleRunning && _running is not { Count: > 0 })
                    {
                        _lifecycleRunning = true;
                        lifecycle = ActivationStatus.Deactivating;
                    }
                    else
                    {
                        _scheduled = false;
                        return;
                    }
                }

                if (segment.Callback is not null)
                {
                    RunSegment(segment.Callback, segment.State);
                }
                else if (request is not null)
                {
                    StartRequest(request);
                }
                else if (lifecycle == ActivationStatus.Activating)
                {
                    _ = ActivateAsync();
                }
                else
                {
                    _ = DeactivateAsync();
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private void RunSegment(SendOrPostCallback callback, object? state)
    {
        try
        {
            callback(state);
        }
        catch (Exception error)
        {
            // Only async void code or a faulty awaiter can throw here; the turn itself reports through its task.
            Catalog.Logger.LogError(error, "Unhandled exception in a segment of {GrainId}", Id);
        }
    }

    private void StartRequest(IGrainWorkItem request)
    {
        Task task;
        try
        {
            task = request.Start(_grain!);
        }
        catch (Exception error)
        {
            Catalog.RecordCall(request);
            request.Fail(error);
            FinishRequest(request);
            return;
        }

        if (task.IsCompleted)
        {
            CompleteRequest(request, task);
        }
        else
        {
            // ConfigureAwait(false): finishing bookkeeping runs inline where the grain's task completes, which is this loop.
            task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => CompleteRequest(request, task));
        }
    }

    private void CompleteRequest(IGrainWorkItem request, Task task)
    {
        // Measured before the caller resumes, so a caller that reads the metrics after its call sees that call.
        Catalog.RecordCall(request);
        request.Complete(task);
        FinishRequest(request);
    }

    private void FinishRequest(IGrainWorkItem request)
    {
        bool schedule;
        lock (this)
        {
            var removed = _running!.Remove(request);
            Debug.Assert(removed, "A finished request must have been running.");
            _lastActiveTimestamp = Stopwatch.GetTimestamp();
            schedule = !_scheduled && HasRunnableWorkLocked();
            _scheduled |= schedule;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private bool HasRunnableWorkLocked() =>
        _segments is { Count: > 0 }
        || (_status == ActivationStatus.Active && _requests is { Count: > 0 })
        || (_status == ActivationStatus.Deactivating && !_lifecycleRunning && _running is not { Count: > 0 });

    private async Task ActivateAsync()
    {
        try
        {
            _grain = _class.Create(Catalog.Services, Catalog.Storages, Catalog.StateJson, Id, out _states);
            _grain.Attach(this);
            foreach (var state in _states)
            {
                await state.LoadAsync();
            }

            await _grain.OnActivateAsync(CancellationToken.None);
        }
        catch (Exception error)
        {
            Catalog.Logger.LogError(error, "Activation of {GrainId} failed", Id);
            FailQueuedAndRemove(error);
            return;
        }

        RuntimeMetrics.Activations.Add(1);
        lock (this)
        {
            _lifecycleRunning = false;
            _status = _deactivationReason is null ? ActivationStatus.Active : ActivationStatus.Deactivating;
        }

        // This runs on the loop (the activation's context), which picks up queued calls next.
    }

    /// <summary>Begins deactivation; it runs once no call is running. Calls arriving meanwhile move to the next activation.</summary>
    public void StartDeactivation(DeactivationReason reason)
    {
        bool schedule;
        lock (this)
        {
            if (_deactivationReason is not null || _status == ActivationStatus.Deactivated)
            {
                return;
            }

            _deactivationReason = reason;
            if (_status == ActivationStatus.Active)
            {
                _status = ActivationStatus.Deactivating;
            }
            else if (_status == ActivationStatus.Created)
            {
                // Never started: nothing to run, nothing to write.
                _status = ActivationStatus.Deactivated;
                Catalog.OnDeactivated(this);
                _deactivated?.TrySetResult();
                return;
            }

            schedule = !_scheduled && HasRunnableWorkLocked();
            _scheduled |= schedule;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Completes when this activation has deactivated.</summary>
    public Task WhenDeactivated()
    {
        lock (this)
        {
            return _status == ActivationStatus.Deactivated
                ? Task.CompletedTask
                : (_deactivated ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private async Task DeactivateAsync()
    {
        var reason = _deactivationReason!.Value;
        try
        {
            StopTimers();
            using var timeout = new CancellationTokenSource(Catalog.Options.ShutdownTimeout);
            await _grain!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception error)
        {
            Catalog.Logger.LogError(error, "OnDeactivateAsync of {GrainId} failed ({Reason})", Id, reason);
        }

        RuntimeMetrics.Activations.Add(-1);
        foreach (var request in MarkDeactivated())
        {
            if (!request.IsAnswered)
            {
                // Through the router: after a placement change the grain's owner is another silo, and sending these
                // locally would activate it here again beside the new owner's activation.
                Catalog.Router.Send(Id, request);
            }
        }
    }

    private void FailQueuedAndRemove(Exception error)
    {
        foreach (var request in MarkDeactivated())
        {
            request.Fail(error);
        }
    }

    /// <summary>Ends the activation: it refuses calls and leaves the catalog. Returns the calls that were still queued.</summary>
    private IGrainWorkItem[] MarkDeactivated()
    {
        IGrainWorkItem[] waiting;
        TaskCompletionSource? deactivated;
        lock (this)
        {
            _status = ActivationStatus.Deactivated;
            _lifecycleRunning = false;
            waiting = _requests?.ToArray() ?? [];
            _requests = null;
            deactivated = _deactivated;
        }

        // Out of the catalog before anyone waiting for the deactivation resumes (a shutdown then finds it empty).
        Catalog.OnDeactivated(this);
        deactivated?.TrySetResult();
        return waiting;
    }

    /// <summary>True when the activation has been idle, with no work, for longer than its class's collection age (or <paramref name="defaultAge"/>).</summary>
    public bool IsIdleLongerThan(TimeSpan defaultAge, long nowTimestamp)
    {
        var age = _class.CollectionAge ?? defaultAge;
        var idleSinceTimestamp = nowTimestamp - (long)(age.TotalSeconds * Stopwatch.Frequency);
        lock (this)
        {
            return _status == ActivationStatus.Active
                && _lastActiveTimestamp < idleSinceTimestamp
                && _requests is not { Count: > 0 }
                && _running is not { Count: > 0 }
                && _segments is not { Count: > 0 };
        }
    }

    /// <summary>Answers calls queued or running since before <paramref name="deadlineTimestamp"/> with a timeout.</summary>
    public void ExpireCalls(long deadlineTimestamp, TimeSpan timeout)
    {
        // Most activations are idle; a racy look at the counts skips their lock (a call added meanwhile is new and
        // is looked at by the next sweep).
        if (_running is not { Count: > 0 } && _requests is not { Count: > 0 })
        {
            return;
        }

        List<IGrainWorkItem>? expired = null;
        lock (this)
        {
            Collect(_running);
            Collect(_requests);
        }

        if (expired is null)
        {
            return;
        }

        foreach (var request in expired)
        {
            RuntimeMetrics.CallTimeouts.Add(1);
            request.Fail(new GrainCallTimeoutException($"Call {request} to {Id} was not answered within {timeout.TotalSeconds:0.###} s."));
        }

        void Collect(IEnumerable<IGrainWorkItem>? requests)
        {
            if (requests is null)
            {
                return;
            }

            foreach (var request in requests)
            {
                if (request.EnqueuedTimestamp < deadlineTimestamp && !request.IsAnswered)
                {
                    (expired ??= []).Add(request);
                }
            }
        }
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period, Catalog.Time);
        lock (this)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Deactivated)
            {
                timer.Dispose();
                return timer;
            }

            (_timers ??= []).Add(timer);
        }

        return timer;
    }

    /// <summary>Queues a timer tick as a turn. Ticks are not calls: no queue limit, and they do not keep the grain alive.</summary>
    public bool TryEnqueueTick(IGrainWorkItem tick)
    {
        bool schedule;
        lock (this)
        {
            if (_status != ActivationStatus.Active)
            {
                return false;
            }

            tick.EnqueuedTimestamp = Stopwatch.GetTimestamp();
            (_requests ??= new Queue<IGrainWorkItem>()).Enqueue(tick);
            schedule = !_scheduled;
            _scheduled = true;
        }

        if (schedule)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        return true;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (this)
        {
            _timers?.Remove(timer);
        }
    }

    private void StopTimers()
    {
        GrainTimer[] timers;
        lock (this)
        {
            timers = _timers?.ToArray() ?? [];
            _timers = null;
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    public override string ToString() => $"Activation of {Id}";
}
