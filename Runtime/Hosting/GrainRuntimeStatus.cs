namespace Orleans.Payments.Runtime.Hosting;

/// <summary>Whether the runtime is serving calls; read by readiness checks.</summary>
public sealed class GrainRuntimeStatus
{
    private volatile bool _started;

    public bool IsStarted => _started;

    internal void MarkStarted() => _started = true;

    internal void MarkStopping() => _started = false;
}
