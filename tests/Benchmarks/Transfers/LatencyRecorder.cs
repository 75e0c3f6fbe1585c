namespace Payments.Benchmarks.Transfers;

/// <summary>Per-worker latency samples, merged at the end into percentiles. Bounded: at most MaxSamples per worker.</summary>
internal sealed class LatencyRecorder
{
    private const int MaxSamples = 2_000_000;
    private readonly List<double> _milliseconds = [];

    public long Count { get; private set; }

    public void Record(double milliseconds)
    {
        Count++;
        if (_milliseconds.Count < MaxSamples)
        {
            _milliseconds.Add(milliseconds);
        }
    }

    public static (double P50, double P95, double P99) Percentiles(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(recorder => recorder._milliseconds).ToArray();
        if (all.Length == 0)
        {
            return (0, 0, 0);
        }

        Array.Sort(all);
        return (At(0.50), At(0.95), At(0.99));

        double At(double quantile) => Math.Round(all[Math.Min(all.Length - 1, (int)(quantile * all.Length))], 2);
    }
}
