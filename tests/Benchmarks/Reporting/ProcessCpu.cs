using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Payments.Benchmarks.Reporting;

/// <summary>
/// CPU time of groups of processes (named groups of process ids, and every PostgreSQL process on the machine, found
/// through Linux's /proc), to tell where a measurement's CPU went. A process that exits during the measurement takes
/// its CPU with it.
/// </summary>
internal sealed class ProcessCpu(IReadOnlyDictionary<string, IReadOnlyList<int>> groups)
{
    private const string PostgresGroup = "postgres";

    /// <summary>CPU time so far of each group.</summary>
    public Dictionary<string, TimeSpan> Sample()
    {
        var sample = groups.ToDictionary(group => group.Key, group => Sum(group.Value.Select(TryGetProcess)));
        sample[PostgresGroup] = Sum(PostgresProcessIds().Select(TryGetProcess));
        return sample;
    }

    private static Dictionary<string, double> PerTransfer(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, double transfers) =>
        after.ToDictionary(group => group.Key, group => Math.Round((group.Value - before.GetValueOrDefault(group.Key)).TotalMicroseconds / Math.Max(transfers, 1)));

    /// <summary>Adds <c>cpuUs_&lt;group&gt;</c> and <c>cpuUs_total</c>, microseconds of CPU a transfer between two samples, to a result row.</summary>
    public static void Record(JsonObject row, Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, double transfers)
    {
        var used = PerTransfer(before, after, transfers);
        foreach (var (group, microseconds) in used)
        {
            row[$"cpuUs_{group}"] = microseconds;
        }

        row["cpuUs_total"] = used.Values.Sum();
    }

    // PostgreSQL retitles its processes ("postgres: user db host idle"), which hides them from GetProcessesByName;
    // the kernel's command name (in /proc/<pid>/stat) stays "postgres".
    private static IEnumerable<int> PostgresProcessIds()
    {
        if (!Directory.Exists("/proc"))
        {
            yield break;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var id))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // Exited.
            }

            if (stat.Contains("(postgres)", StringComparison.Ordinal))
            {
                yield return id;
            }
        }
    }

    private static Process? TryGetProcess(int id)
    {
        try
        {
            return Process.GetProcessById(id);
        }
        catch (ArgumentException)
        {
            return null; // Exited.
        }
    }

    private static TimeSpan Sum(IEnumerable<Process?> processes)
    {
        var total = TimeSpan.Zero;
        foreach (var process in processes)
        {
            if (process is null)
            {
                continue;
            }

            using (process)
            {
                try
                {
                    total += process.TotalProcessorTime;
                }
                catch (InvalidOperationException)
                {
                    // Exited between listing and reading.
                }
            }
        }

        return total;
    }
}
