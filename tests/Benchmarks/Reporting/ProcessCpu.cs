using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Payments.Benchmarks.Reporting;

/// <summary>
/// CPU time of groups of processes (named groups of process ids, and the benchmark's PostgreSQL server, read from
/// Linux's /proc), to tell where a measurement's CPU went. A process of a named group that exits during the
/// measurement takes its CPU with it; the server's backends do not (see <see cref="PostgresCpu"/>).
/// </summary>
/// <param name="postgresClusterDirectory">The server's data directory, whose postmaster.pid names its postmaster.</param>
internal sealed class ProcessCpu(IReadOnlyDictionary<string, IReadOnlyList<int>> groups, string postgresClusterDirectory)
{
    private const string PostgresGroup = "postgres";

    /// <summary>CPU time so far of each group.</summary>
    public Dictionary<string, TimeSpan> Sample()
    {
        var sample = groups.ToDictionary(group => group.Key, group => Sum(group.Value.Select(TryGetProcess)));
        sample[PostgresGroup] = PostgresCpu();
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

    /// <summary>
    /// The server's CPU so far: its postmaster's and live backends', plus that of backends that have exited, which the
    /// kernel adds to the postmaster's children times (cutime, cstime) when it reaps them. Pools close idle connections
    /// during a run, and other PostgreSQL servers on the machine (test runs) are not counted.
    /// </summary>
    private TimeSpan PostgresCpu()
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(postgresClusterDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        long ticks = 0;
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

            // "pid (comm) state ppid ... utime stime cutime cstime ...": the command may contain spaces, so fields are
            // counted after its ')'; field n of proc(5) is at n - 3.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (id == postmaster)
            {
                ticks += Field(fields, 14) + Field(fields, 15) + Field(fields, 16) + Field(fields, 17);
            }
            else if (Field(fields, 4) == postmaster)
            {
                ticks += Field(fields, 14) + Field(fields, 15);
            }
        }

        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);

        static long Field(string[] fields, int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
    }

    // The unit of /proc's times (USER_HZ), 100 on every Linux build in practice.
    private static readonly long ClockTicksPerSecond = sysconf(ScClockTicks);

    private const int ScClockTicks = 2;

    [DllImport("libc")]
    private static extern long sysconf(int name);

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
