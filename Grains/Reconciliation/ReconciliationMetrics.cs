using System.Diagnostics.Metrics;

namespace Payments.Grains.Reconciliation;

/// <summary>Reconciliation instruments on the meter <see cref="MeterName"/>.</summary>
public static class ReconciliationMetrics
{
    public const string MeterName = "Payments.Reconciliation";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Discrepancies found, by kind (<c>missing_in_bank</c>, <c>missing_internally</c>, <c>amount_mismatch</c>).</summary>
    public static readonly Counter<long> Discrepancies =
        s_meter.CreateCounter<long>("reconciliation.discrepancies", description: "Statement discrepancies found, by kind.");

    public static readonly Counter<long> Reports =
        s_meter.CreateCounter<long>("reconciliation.reports", description: "Bank statements reconciled.");
}
