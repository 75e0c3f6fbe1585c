using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers.OrleansTx;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Ledger;
using Payments.Infrastructure.Streams;

namespace Payments.Benchmarks.Transfers;

/// <summary>
/// Durable transfers per second for hot-wallet, uniform and hot-sender, each through (a) the grain path in-process,
/// (b) the ledger writer alone, (c) a row-locking baseline on the same PostgreSQL, (d) the REST API end to end (through the typed client, or plain requests) and
/// (e) wallet grains with Orleans transactional state (orleans-tx), all in one silo and one run. PostgreSQL runs with
/// fsync and synchronous commit on: a figure measured with durability off is not a payment figure.
/// </summary>
internal static class TransfersBenchmark
{
    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, IReadOnlyCollection<string> implementations, IReadOnlyCollection<string> scenarios, IReadOnlyList<int> concurrencyFactors)
    {
        await using var postgres = await BenchmarkPostgres.StartAsync();
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var users = await BenchmarkUsers.SeedAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), TransferScenario.UniformWallets);
        await BenchmarkUsers.FundAsync(grains, users);
        Console.WriteLine($"Seeded and funded {users.Length} wallets");

        await using var baselineData = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 300 }.ConnectionString);
        var baseline = new RowLockBaseline(baselineData);
        await baseline.SetUpAsync(TransferScenario.UniformWallets, 10_000_000);

        var orleansTx = new OrleansTxTransfers(grains, app.Services.GetRequiredService<ITransactionClient>());
        if (implementations.Contains("orleans-tx"))
        {
            var seeding = Stopwatch.StartNew();
            await orleansTx.SeedAsync(TransferScenario.UniformWallets);
            Console.WriteLine($"Seeded {TransferScenario.UniformWallets} orleans-tx wallets in {seeding.Elapsed.TotalSeconds:0} s");
        }

        var tokens = implementations.Any(path => path.StartsWith("http", StringComparison.Ordinal)) ? await BenchmarkUsers.LoginAllAsync(grains, users) : [];
        var runs = TransferScenario.All.Where(scenario => scenarios.Contains(scenario.Name)).SelectMany(scenario => concurrencyFactors.Select(scenario.Scaled)).ToList();
        using var http = HttpTransfers.CreateClient(new Uri(app.Urls.First()), runs);
        var senders = HttpTransfers.ClientsFor(http, tokens);

        using var probe = new LedgerBatchProbe();
        var drain = new StreamDrain(baselineData, app.Services.GetRequiredService<IOptions<StreamOptions>>().Value.Deliver);
        var writer = app.Services.GetRequiredService<LedgerWriter>();
        var paths = new Dictionary<string, Func<int, int, int, Task<bool>>>
        {
            ["grains"] = (worker, from, to) => GrainTransfers.SendAsync(grains, users[from], users[to]),
            ["writer"] = (worker, from, to) => WriterTransfers.SendAsync(writer, users[from], users[to]),
            ["wallet"] = (worker, from, to) => GrainTransfers.SendToWalletAsync(grains, users[from], users[to]),
            ["rowlock"] = (worker, from, to) => baseline.TransferAsync(from, to, 1),
            ["http"] = (worker, from, to) => HttpTransfers.SendAsync(senders[from], users[to]),
            ["http-plain"] = (worker, from, to) => HttpTransfers.SendPlainAsync(http, tokens[from], users[to]),
            ["orleans-tx"] = (worker, from, to) => orleansTx.TransferAsync(from, to, 1),
        };
        var selected = paths.Keys.Where(implementations.Contains).ToList();

        // Every path is measured warm (JIT tiers, pools, the uniform scenario's wallet and session activations).
        foreach (var implementation in selected)
        {
            await ClosedLoop.RunAsync(TransferScenario.Uniform, ClosedLoop.WarmUp, paths[implementation]);
        }

        await drain.CatchUpAsync();
        orleansTx.TakeCounts();
        Console.WriteLine($"Warmed up for {ClosedLoop.WarmUp.TotalSeconds:0} s on each path");

        // CPU a transfer: this process (silo, REST API and load generator together) and PostgreSQL.
        var cpu = new ProcessCpu(new Dictionary<string, IReadOnlyList<int>> { ["process"] = [Environment.ProcessId] }, postgres.ClusterDirectory);
        foreach (var scenario in runs)
        {
            foreach (var implementation in selected)
            {
                probe.TakeAverages();
                await BenchmarkPostgres.CheckpointAsync(baselineData);
                var before = cpu.Sample();
                var result = await ClosedLoop.RunAsync(scenario, duration, paths[implementation]);
                var row = Row(scenario, implementation, result);
                ProcessCpu.Record(row, before, cpu.Sample(), result.TransfersPerSecond * duration.TotalSeconds);
                if (implementation is "orleans-tx")
                {
                    var (retries, gaveUp, inDoubt) = orleansTx.TakeCounts();
                    row["retries"] = retries;
                    row["gaveUp"] = gaveUp;
                    row["inDoubt"] = inDoubt;
                }
                else if (implementation is not "rowlock")
                {
                    // The ledger paths ("wallet" and "writer" are diagnostics: the wallet grain without the idempotency grain in front,
                    // and the writer alone, fed the entries a wallet grain would build).
                    var (batchSize, batchMilliseconds) = probe.TakeAverages();
                    row["avgBatch"] = batchSize;
                    row["avgBatchMs"] = batchMilliseconds;
                    await drain.RecordAsync(row, result.TransfersPerSecond, duration);
                }

                report.Add(row);
            }
        }

        await AuditLedgerAsync(grains);
        if (selected.Contains("orleans-tx"))
        {
            await orleansTx.AuditAsync(TransferScenario.UniformWallets);
        }

        await app.StopAsync();
    }

    internal static JsonObject Row(TransferScenario scenario, string implementation, ClosedLoop.Result result) => new()
    {
        ["scenario"] = scenario.Name,
        ["implementation"] = implementation,
        ["transfersPerSecond"] = result.TransfersPerSecond,
        ["p50Ms"] = result.P50,
        ["p95Ms"] = result.P95,
        ["p99Ms"] = result.P99,
        ["concurrency"] = scenario.Workers,
        ["refused"] = result.Failures,
    };

    private static async Task AuditLedgerAsync(IGrainFactory grains)
    {
        var audit = await grains.GetGrain<ILedgerAuditGrain>("default").Audit();
        Console.WriteLine($"Ledger audit after the run: balanced={audit.Balanced}, transactions={audit.Transactions}, postings={audit.Postings}");
        if (!audit.Balanced)
        {
            throw new InvalidOperationException("The ledger is not balanced after the benchmark.");
        }
    }
}
