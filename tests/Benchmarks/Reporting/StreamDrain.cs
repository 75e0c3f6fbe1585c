using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.Infrastructure.Streams;

namespace Payments.Benchmarks.Reporting;

/// <summary>
/// After a measured phase, waits until stream delivery (feed, notifications) has caught up with what the phase
/// committed, and adds to its row how long that took and the rate the system sustains: transfers divided by the
/// phase plus the drain. A closed loop measures how fast payments are acknowledged; subscribers that fall behind
/// make that rate a burst, and their backlog would otherwise eat into the next phase's CPU.
/// </summary>
internal sealed class StreamDrain(NpgsqlDataSource dataSource, bool delivering)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    // Every silo of the benchmarks runs with the default partition count.
    private readonly StreamBacklog _backlog = new(dataSource, new StreamOptions().Partitions);

    /// <summary>
    /// Waits for the backlog to empty (at most five minutes), records the drain in <paramref name="row"/> and returns the
    /// sustained rate; null, and nothing recorded, when the silos do not deliver (<c>Payments__Streams__Deliver=false</c>:
    /// the backlog only grows), and null when the backlog did not drain within the limit.
    /// </summary>
    public async Task<double?> RecordAsync(JsonObject row, double transfersPerSecond, TimeSpan duration)
    {
        if (!delivering)
        {
            return null;
        }

        var (pendingAtEnd, drain, drained) = await WaitAsync();
        row["backlogAtEnd"] = pendingAtEnd;
        row["drainS"] = Math.Round(drain.TotalSeconds, 1);
        double? sustained = drained
            ? Math.Round(transfersPerSecond * duration.TotalSeconds / (duration + drain).TotalSeconds)
            : null; // Not drained within the limit: no sustained rate to report.
        row["sustainedPerSecond"] = sustained;
        return sustained;
    }

    /// <summary>Waits (at most five minutes) for delivery to catch up, so that what came before does not spill into a measurement.</summary>
    public async Task CatchUpAsync()
    {
        if (delivering)
        {
            await WaitAsync();
        }
    }

    private async Task<(long PendingAtEnd, TimeSpan Drain, bool Drained)> WaitAsync()
    {
        var pendingAtEnd = await _backlog.CountPendingAsync();
        var started = Stopwatch.StartNew();
        var pending = pendingAtEnd;
        while (pending > 0 && started.Elapsed < Limit)
        {
            await Task.Delay(PollInterval);
            pending = await _backlog.CountPendingAsync();
        }

        return (pendingAtEnd, pendingAtEnd == 0 ? TimeSpan.Zero : started.Elapsed, pending == 0);
    }
}
