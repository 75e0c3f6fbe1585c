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

    public const string Committed = "committed";
    public const string Rejected = "rejected";
    public const string Duplicate = "duplicate";

    /// <summary>The database failed (or the silo was fenced): the outcome is unknown to the client until it retries.</summary>
    public const string Failed = "failed";

    private static readonly Counter<long> s_entries =
        s_meter.CreateCounter<long>("ledger.entries", description: "Ledger entries by outcome (committed, rejected, duplicate, failed).");

    /// <summary>Counts a batch's answered entries by outcome, one measurement per outcome present.</summary>
    public static void CountAnswers(IReadOnlyList<(LedgerEntry Entry, LedgerResult Result)> answers)
    {
        int committed = 0, rejected = 0, duplicate = 0;
        foreach (var (_, result) in answers)
        {
            switch (result)
            {
                case LedgerResult.Committed: committed++; break;
                case LedgerResult.Rejected: rejected++; break;
                default: duplicate++; break;
            }
        }

        CountEntries(Committed, committed);
        CountEntries(Rejected, rejected);
        CountEntries(Duplicate, duplicate);
    }

    public static void CountEntries(string outcome, int count)
    {
        if (count > 0)
        {
            s_entries.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
