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

    public static readonly Counter<long> StreamEventsDelivered =
        s_meter.CreateCounter<long>("stream.events.delivered", description: "Stream events delivered to subscriber grains (one per subscriber).");

    public static readonly Counter<long> StreamDeliveryFailures =
        s_meter.CreateCounter<long>("stream.delivery.failures", description: "Failed deliveries of stream events to subscriber grains (each is retried or dead-lettered).");

    public static readonly Counter<long> StreamDeadLetters =
        s_meter.CreateCounter<long>("stream.dead_letters", description: "Stream events moved to the dead-letter table after bounded retries.");

    public static readonly Histogram<double> StreamDeliveryLag =
        s_meter.CreateHistogram<double>("stream.delivery.lag", unit: "ms", description: "Time from an event's creation (its transaction's start) to its delivery to a subscriber.");

    public static readonly UpDownCounter<long> StreamPartitionsOwned =
        s_meter.CreateUpDownCounter<long>("stream.partitions.owned", description: "Stream partitions this silo delivers.");
}
