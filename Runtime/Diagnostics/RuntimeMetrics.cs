using System.Diagnostics.Metrics;

namespace Orleans.Payments.Runtime.Diagnostics;

/// <summary>
/// Runtime instruments, published on the meter <see cref="MeterName"/> (dotnet-counters, OpenTelemetry).
/// Recording costs almost nothing while no listener is attached.
/// </summary>
public static class RuntimeMetrics
{
    public const string MeterName = "Orleans.Payments.Runtime";

    private static readonly Meter s_meter = new(MeterName);

    public static readonly UpDownCounter<long> Activations =
        s_meter.CreateUpDownCounter<long>("grain.activations", description: "Live grain activations.");

    public static readonly Counter<long> Calls =
        s_meter.CreateCounter<long>("grain.calls", description: "Grain calls completed (including failed and timed out).");

    public static readonly Counter<long> CallTimeouts =
        s_meter.CreateCounter<long>("grain.call.timeouts", description: "Grain calls answered with a timeout.");

    public static readonly Histogram<double> CallLatency =
        s_meter.CreateHistogram<double>("grain.call.duration", unit: "ms", description: "Time from queuing a call to its answer.");

    public static readonly Histogram<double> StorageLatency =
        s_meter.CreateHistogram<double>("grain.storage.duration", unit: "ms", description: "Grain state storage operation latency.");

    public static readonly Counter<long> StorageErrors =
        s_meter.CreateCounter<long>("grain.storage.errors", description: "Grain state storage operations that failed (ETag conflicts excluded).");
}
