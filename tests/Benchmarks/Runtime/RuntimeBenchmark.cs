using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Benchmarks.Reporting;
using Orleans;
using Payments.Infrastructure.Activation;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Persistence;

namespace Payments.Benchmarks.Runtime;

/// <summary>
/// In-process grain calls per second (many grains, one hot grain) and memory per idle activation.
/// Storage is in memory: this measures the runtime, not PostgreSQL.
/// </summary>
internal static class RuntimeBenchmark
{
    private const int ManyGrains = 10_000;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, int activationCount)
    {
        using (var host = await StartHostAsync())
        {
            var factory = host.Services.GetRequiredService<IGrainFactory>();
            var many = Enumerable.Range(0, ManyGrains).Select(i => factory.GetGrain<IPingGrain>($"many-{i}")).ToArray();
            var hot = new[] { factory.GetGrain<IPingGrain>("hot") };
            var baseline = new SemaphoreBaseline();
            var manyKeys = Enumerable.Range(0, ManyGrains).Select(i => $"many-{i}").ToArray();
            foreach (var (scenario, grains, keys, concurrency) in new[] { ("calls-many", many, manyKeys, 2_000), ("calls-hot", hot, new[] { "hot" }, 256) })
            {
                var viaGrains = await MeasureCallsAsync((index, value) => grains[index].Ping(value), grains.Length, concurrency, duration);
                report.Add(Row(scenario, "grains", viaGrains, grains.Length));
                var viaSemaphores = await MeasureCallsAsync((index, value) => baseline.Ping(keys[index], value), keys.Length, concurrency, duration);
                report.Add(Row(scenario, "semaphore-baseline", viaSemaphores, keys.Length));
            }

            await host.StopAsync();
        }

        using (var host = await StartHostAsync())
        {
            var bytes = await MeasureActivationMemoryAsync(host.Services, activationCount);
            report.Add(new JsonObject { ["scenario"] = "activations", ["implementation"] = "grains", ["count"] = activationCount, ["bytesPerActivation"] = Math.Round(bytes) });
            await host.StopAsync();
        }
    }

    private static async Task<IHost> StartHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrainRuntime(runtime => runtime
            .AddGrains(typeof(PingGrain), typeof(IdleGrain))
            .AddGrainStorage<MemoryGrainStorage>("memory"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static JsonObject Row(string scenario, string implementation, double callsPerSecond, int objects) =>
        new() { ["scenario"] = scenario, ["implementation"] = implementation, ["callsPerSecond"] = Math.Round(callsPerSecond), ["grains"] = objects };

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

    private static async Task<double> MeasureActivationMemoryAsync(IServiceProvider services, int count)
    {
        var factory = services.GetRequiredService<IGrainFactory>();
        var catalog = services.GetRequiredService<ActivationCatalog>();
        var before = SettledHeapBytes();
        const int inFlight = 2_000;
        var batch = new List<Task>(inFlight);
        for (var i = 0; i < count; i++)
        {
            batch.Add(factory.GetGrain<IIdleGrain>($"idle-{i:D7}").Touch());
            if (batch.Count == inFlight)
            {
                await Task.WhenAll(batch);
                batch.Clear();
            }
        }

        await Task.WhenAll(batch);
        var after = SettledHeapBytes();
        if (catalog.Count < count)
        {
            throw new InvalidOperationException($"Expected {count} live activations, found {catalog.Count}.");
        }

        return (after - before) / (double)count;
    }

    private static long SettledHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
