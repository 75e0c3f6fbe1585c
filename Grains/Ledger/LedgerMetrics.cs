using System.Diagnostics.Metrics;

namespace Payments.Grains.Ledger;

/// <summary>Group commit instruments on the meter <see cref="MeterName"/>: how big batches are and how long they take.</summary>
public static class LedgerMetrics
{
    public const string MeterName = "Payments.Ledger";

    private static readonly Meter s_meter = new(MeterName);

    public static readonly Histogram<int> BatchSize =
        s_meter.CreateHistogram<int>("ledger.batch.size", description: "Entries per committed batch.");

    public static readonly Histogram<double> BatchDuration =
        s_meter.CreateHistogram<double>("ledger.batch.duration", unit: "ms", description: "Time to lock, write and commit one batch.");

    public static readonly Counter<long> Entries =
        s_meter.CreateCounter<long>("ledger.entries", description: "Ledger entries by outcome (committed, rejected, duplicate, failed).");
}
