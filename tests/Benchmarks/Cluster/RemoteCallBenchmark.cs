using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Runtime;
using Payments.Benchmarks.Transfers;
using Orleans;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Persistence;
using Payments.Infrastructure.Postgres;
using Payments.Silo.Database;

namespace Payments.Benchmarks.Cluster;

/// <summary>
/// The cost of a remote grain call against a local one: two silos in this process, joined through the membership
/// table, each call made from the first silo to grains it owns (local) or the second owns (remote, over loopback TCP).
/// </summary>
internal static class RemoteCallBenchmark
{
    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration)
    {
        var directory = Path.Combine(Path.GetTempPath(), "orleans-payments-bench-cluster");
        await using var postgres = await EmbeddedPostgresServer.StartAsync(new EmbeddedPostgresSettings { DataDirectory = directory, Durable = false }, NullLogger.Instance);
        await using (var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString))
        {
            await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, NullLogger.Instance);
        }

        using var first = await StartSiloAsync(postgres.ConnectionString, 21001);
        using var second = await StartSiloAsync(postgres.ConnectionString, 21002);
        var membership = first.Services.GetRequiredService<MembershipService>();
        var deadline = Stopwatch.StartNew();
        while (membership.View.Placement.Silos.Count < 2 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        var factory = first.Services.GetRequiredService<IGrainFactory>();
        var keys = Enumerable.Range(0, 2_000).Select(i => $"ping-{i}").ToList();
        var pingType = new GrainId(typeof(IPingGrain).FullName!, "x").Type;
        var local = keys.Where(key => membership.View.Placement.Owner(new GrainId(pingType, key)) == membership.Self).Take(500).ToArray();
        var remote = keys.Where(key => membership.View.Placement.Owner(new GrainId(pingType, key)) != membership.Self).Take(500).ToArray();

        foreach (var (name, grains) in new[] { ("local", local), ("remote", remote) })
        {
            var targets = grains.Select(key => factory.GetGrain<IPingGrain>(key)).ToArray();
            await Task.WhenAll(targets.Select(grain => grain.Ping(0)));
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

        await first.StopAsync();
        await second.StopAsync();
    }

    private static async Task<IHost> StartSiloAsync(string connectionString, int siloPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPostgresDataSource(connectionString, "benchmark");
        builder.Services.AddClusterMembership();
        builder.Services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = "bench";
            options.SiloPort = siloPort;
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
            options.DeathTimeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddGrainRuntime(runtime => runtime.AddGrains(typeof(PingGrain)).AddGrainStorage<MemoryGrainStorage>("memory"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
