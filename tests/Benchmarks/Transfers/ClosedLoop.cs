using System.Diagnostics;

namespace Payments.Benchmarks.Transfers;

/// <summary>Runs workers that each send transfers back to back until the deadline; counts successes and latencies.</summary>
internal static class ClosedLoop
{
    /// <summary>
    /// Load run and discarded before measuring a fresh process: its first seconds mostly recompile hot methods at
    /// higher tiers and activate grains (a profile showed a quarter of the CPU in the JIT), which is start-up, not throughput.
    /// On two busy cores the JIT's background thread needs about half a minute: after 10 s of merchant payments it still
    /// took 14% of the CPU while measuring (process CPU 1,920 µs a payment against 1,060 µs after 30 s).
    /// </summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);

    public sealed record Result(double TransfersPerSecond, double P50, double P95, double P99, long Failures);

    /// <param name="transfer">Sends one transfer (worker, from, to); returns false when the transfer was refused.</param>
    public static async Task<Result> RunAsync(TransferScenario scenario, TimeSpan duration, Func<int, int, int, Task<bool>> transfer)
    {
        var recorders = Enumerable.Range(0, scenario.Workers).Select(_ => new LatencyRecorder()).ToArray();
        long failures = 0;
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, scenario.Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker * 7919 + 17);
            var recorder = recorders[worker];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var (from, to) = scenario.NextPair(worker, random);
                var sent = Stopwatch.GetTimestamp();
                if (await transfer(worker, from, to))
                {
                    recorder.Record(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (p50, p95, p99) = LatencyRecorder.Percentiles(recorders);
        return new Result(Math.Round(recorders.Sum(recorder => recorder.Count) / elapsed), p50, p95, p99, failures);
    }
}
