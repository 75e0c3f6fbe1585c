using Microsoft.Extensions.Logging;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Timers;

/// <summary>
/// An in-memory timer bound to one activation. Each tick is queued as a turn of the grain; a tick is skipped
/// while the previous one is still queued or running, so ticks never overlap or pile up.
/// </summary>
internal sealed class GrainTimer : IGrainTimer, IGrainWorkItem
{
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private int _tickPending;
    private volatile bool _expired;

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, TimeProvider time)
    {
        _activation = activation;
        _callback = callback;
        _timer = time.CreateTimer(static state => ((GrainTimer)state!).OnTimerFired(), this, dueTime, period);
    }

    public long EnqueuedTimestamp { get; set; }

    public bool IsAnswered => _expired || _disposed.IsCancellationRequested;

    public void Change(TimeSpan dueTime, TimeSpan period) => _timer.Change(dueTime, period);

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void OnTimerFired()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _tickPending, 1) == 1)
        {
            return;
        }

        _expired = false;
        if (!_activation.TryEnqueueTick(this))
        {
            Volatile.Write(ref _tickPending, 0);
        }
    }

    Task IGrainWorkItem.Start(object grain) => _callback(_disposed.Token);

    void IGrainWorkItem.Complete(Task grainTask)
    {
        if (grainTask.IsFaulted)
        {
            _activation.Catalog.Logger.LogError(grainTask.Exception, "Timer tick of {GrainId} failed", _activation.Id);
        }

        Volatile.Write(ref _tickPending, 0);
    }

    void IGrainWorkItem.Fail(Exception error)
    {
        _activation.Catalog.Logger.LogWarning(error, "Timer tick of {GrainId} did not run to completion", _activation.Id);
        _expired = true;
        Volatile.Write(ref _tickPending, 0);
    }

    public override string ToString() => "timer tick";
}
