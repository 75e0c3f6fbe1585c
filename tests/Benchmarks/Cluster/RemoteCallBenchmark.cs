using System.Diagnostics;
using System.Text.Json.Nodes;
using Orleans;
using Orleans.Runtime;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Runtime;
using Payments.Benchmarks.Transfers;

namespace Payments.Benchmarks.Cluster;

/// <summary>
/// The cost of a remote grain call against a local one: two Orleans silos in this process, joined over loopback TCP,
/// each call made from the first silo to grains activated on it (local) or on the second (remote).
/// </summary>
internal static class RemoteCallBenchmark
{
    private const int GrainsPerSide = 500;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration)
    {
        var first = await RuntimeSilo.StartAsync();
        var second = await RuntimeSilo.StartAsync(first.Endpoint);
        var caller = first.Grains;
        await WaitForSilosAsync(caller, 2);

        // PingGrain prefers the silo its first call comes from: each side's grains are activated from their silo.
        foreach (var (name, silo) in new[] { ("local", first), ("remote", second) })
        {
            var keys = Enumerable.Range(0, GrainsPerSide).Select(i => $"{name}-{i}").ToArray();
            await Task.WhenAll(keys.Select(key => silo.Grains.GetGrain<IPingGrain>(key).Ping(0)));
            var targets = keys.Select(key => caller.GetGrain<IPingGrain>(key)).ToArray();
            await CheckPlacementAsync(caller, targets, silo.Address, name);
            foreach (var concurrency in new[] { 1, 64 })
            {
                var scenario = new TransferScenario($"call-{name}", concurrency, (worker, random) => (random.Next(targets.Length), 0));
                var result = await ClosedLoop.RunAsync(scenario, duration, async (worker, index, _) => await targets[index].Ping(1) > 0);
                report.Add(new JsonObject
                {
                    ["scenario"] = $"call-{name}",
                    ["implementation"] = "grains",
                    ["concurrency"] = concurrency,
                    ["callsPerSecond"] = result.TransfersPerSecond,
                    ["p50Ms"] = result.P50,
                    ["p99Ms"] = result.P99,
                });
            }
        }

        await second.StopAsync();
        await first.StopAsync();
    }

    private static async Task WaitForSilosAsync(IGrainFactory grains, int silos)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var started = Stopwatch.StartNew();
        while ((await management.GetHosts(onlyActive: true)).Count < silos)
        {
            if (started.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{silos} silos did not join within 30 s.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Placement is a preference: the figures only mean something if every grain is where its side says.</summary>
    private static async Task CheckPlacementAsync(IGrainFactory grains, IPingGrain[] targets, SiloAddress expected, string side)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        foreach (var target in targets)
        {
            var actual = await management.GetActivationAddress(target);
            if (!expected.Equals(actual))
            {
                throw new InvalidOperationException($"A {side} grain is active on {actual}, not {expected}.");
            }
        }
    }
}
