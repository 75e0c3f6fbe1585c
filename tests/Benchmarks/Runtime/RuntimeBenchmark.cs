using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Payments.Benchmarks.Reporting;
using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Persistence;

namespace Orleans.Payments.Benchmarks.Runtime;

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
            var callsMany = await MeasureCallsAsync(many, concurrency: 2_000, duration);
            report.Add(new JsonObject { ["scenario"] = "calls-many", ["callsPerSecond"] = Math.Round(callsMany), ["grains"] = ManyGrains });

            var hot = new[] { factory.GetGrain<IPingGrain>("hot") };
            var callsHot = await MeasureCallsAsync(hot, concurrency: 256, duration);
            report.Add(new JsonObject { ["scenario"] = "calls-hot", ["callsPerSecond"] = Math.Round(callsHot), ["grains"] = 1 });
            await host.StopAsync();
        }

        using (var host = await StartHostAsync())
        {
            var bytes = await MeasureActivationMemoryAsync(host.Services, activationCount);
            report.Add(new JsonObject { ["scenario"] = "activations", ["count"] = activationCount, ["bytesPerActivation"] = Math.Round(bytes) });
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

    /// <summary>Runs <paramref name="concurrency"/> callers in closed loops over the grains; returns completed calls per second.</summary>
    private static async Task<double> MeasureCallsAsync(IPingGrain[] grains, int concurrency, TimeSpan duration)
    {
        // Warm up: activate every grain and let tiered JIT settle.
        await Task.WhenAll(grains.Select(grain => grain.Ping(0)));
        await RunLoopsAsync(grains, concurrency, TimeSpan.FromSeconds(2));
        var stopwatch = Stopwatch.StartNew();
        var calls = await RunLoopsAsync(grains, concurrency, duration);
        return calls / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<long> RunLoopsAsync(IPingGrain[] grains, int concurrency, TimeSpan duration)
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
                    index = (index + 7919) % grains.Length;
                    await grains[index].Ping(i);
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
