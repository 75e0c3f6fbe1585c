using System.Diagnostics.Metrics;

namespace Payments.Grains.Commerce;

/// <summary>Order instruments on the meter <see cref="MeterName"/>.</summary>
public static class CommerceMetrics
{
    public const string MeterName = "Payments.Commerce";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Orders that ended, by final status (fulfilled, failed, canceled, refunded).</summary>
    public static readonly Counter<long> OrdersEnded =
        s_meter.CreateCounter<long>("orders.ended", description: "Orders whose saga ended, by final status.");

    /// <summary>Orders whose compensation kept failing past its limit: they wait in the operator queue.</summary>
    public static readonly Counter<long> OrdersStuck =
        s_meter.CreateCounter<long>("orders.stuck", description: "Orders sent to the operator queue, by the step that kept failing.");

    /// <summary>Saga steps that failed and will be tried again, by step.</summary>
    public static readonly Counter<long> StepRetries =
        s_meter.CreateCounter<long>("orders.step_retries", description: "Saga steps retried, by step.");
}
