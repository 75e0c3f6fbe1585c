using System.Diagnostics;
using System.Text.Json.Nodes;
using Orleans;
using Orleans.Runtime;
using Payments.Benchmarks.Reporting;

namespace Payments.Benchmarks.Runtime;

/// <summary>
/// Orleans grain calls per second in process (many grains, one hot grain) beside the same counters behind semaphores,
/// and the memory an idle activation costs. Each part gets a fresh silo (<see cref="RuntimeSilo"/>).
/// </summary>
internal static class RuntimeBenchmark
{
    private const int ManyGrains = 10_000;

    // Activations are made this many at a time, and this many are made before the first heap reading, so that what the
    // runtime allocates once (codecs, invokers, the storage grains) is not counted per activation.
    private const int ActivationBatch = 2_000;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, int activationCount)
    {
        var silo = await RuntimeSilo.StartAsync();
        var factory = silo.Grains;
        var baseline = new SemaphoreBaseline();
        var manyKeys = Enumerable.Range(0, ManyGrains).Select(i => $"many-{i}").ToArray();
        foreach (var (scenario, keys, concurrency) in new[] { ("calls-many", manyKeys, 2_000), ("calls-hot", ["hot"], 256) })
        {
            var grains = keys.Select(key => factory.GetGrain<IPingGrain>(key)).ToArray();
            var viaGrains = await MeasureCallsAsync((index, value) => grains[index].Ping(value), keys.Length, concurrency, duration);
            report.Add(Row(scenario, "grains", viaGrains, keys.Length, concurrency));
            var viaSemaphores = await MeasureCallsAsync((index, value) => baseline.Ping(keys[index], value), keys.Length, concurrency, duration);
            report.Add(Row(scenario, "semaphore-baseline", viaSemaphores, keys.Length, concurrency));
        }

        await silo.StopAsync();

        silo = await RuntimeSilo.StartAsync();
        var bytes = await MeasureActivationMemoryAsync(silo.Grains, activationCount);
        report.Add(new JsonObject { ["scenario"] = "activations", ["implementation"] = "grains", ["count"] = activationCount, ["bytesPerActivation"] = Math.Round(bytes) });
        await silo.StopAsync();
    }

    private static JsonObject Row(string scenario, string implementation, double callsPerSecond, int objects, int concurrency) =>
        new() { ["scenario"] = scenario, ["implementation"] = implementation, ["callsPerSecond"] = Math.Round(callsPerSecond), ["grains"] = objects, ["concurrency"] = concurrency };

    /// <summary>Runs <paramref name="concurrency"/> callers in closed loops over the targets; returns completed calls per second.</summary>
    private static async Task<double> MeasureCallsAsync(Func<int, int, Task<int>> call, int targets, int concurrency, TimeSpan duration)
    {
        // Warm up: activate every target and let tiered JIT settle.
        await Task.WhenAll(Enumerable.Range(0, targets).Select(index => call(index, 0)));
        await RunLoopsAsync(call, targets, concurrency, TimeSpan.FromSeconds(2));
        var stopwatch = Stopwatch.StartNew();
        var calls = await RunLoopsAsync(call, targets, concurrency, duration);
        return calls / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<long> RunLoopsAsync(Func<int, int, Task<int>> call, int targets, int concurrency, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            long calls = 0;
            var index = worker;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                // Check the clock every 64 calls; reading it costs as much as a short call.
                for (var i = 0; i < 64; i++)
                {
                    index = (index + 7919) % targets;
                    await call(index, i);
                }

                calls += 64;
            }

            return calls;
        })));
        return counts.Sum();
    }

    /// <summary>Managed heap growth, after forced collections, from activating <paramref name="count"/> idle grains, divided by the count.</summary>
    private static async Task<double> MeasureActivationMemoryAsync(IGrainFactory factory, int count)
    {
        await ActivateAsync(factory, "warm", ActivationBatch);
        var before = SettledHeapBytes();
        await ActivateAsync(factory, "idle", count);
        var after = SettledHeapBytes();
        var live = await factory.GetGrain<IManagementGrain>(0).GetTotalActivationCount();
        if (live < count)
        {
            throw new InvalidOperationException($"Expected at least {count} live activations, found {live}: the heap difference would not be theirs.");
        }

        return (after - before) / (double)count;
    }

    private static async Task ActivateAsync(IGrainFactory factory, string prefix, int count)
    {
        var batch = new List<Task>(ActivationBatch);
        for (var i = 0; i < count; i++)
        {
            batch.Add(factory.GetGrain<IIdleGrain>($"{prefix}-{i:D7}").Touch());
            if (batch.Count == ActivationBatch)
            {
                await Task.WhenAll(batch);
                batch.Clear();
            }
        }

        await Task.WhenAll(batch);
    }

    private static long SettledHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
