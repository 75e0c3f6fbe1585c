using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Benchmarks.Commerce;

/// <summary>
/// Stock reservations and whole orders a second, 64 workers, in one run:
/// - one hot product: a row-locking decrement (<c>UPDATE … SET units = units - 1 WHERE units &gt; 0</c>, the baseline),
///   a reservation in one plain grain (memory plus a durable row write), and an Orleans-transaction reservation on
///   the product's stock grain (what orders use);
/// - whole orders (reserve, wallet payment held, captured, license delivered, stock sold) for the hot product, and
///   across 1,000 products. Buyers rotate over 1,000 funded users.
/// </summary>
internal static class CommerceBenchmark
{
    private const int Workers = 64;
    private const int Users = 1_000;
    private const int Products = 1_000;
    private const long Price = 100;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, IReadOnlyCollection<string> implementations)
    {
        await using var postgres = await BenchmarkPostgres.StartAsync();
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var users = await BenchmarkUsers.SeedAsync(dataSource, Users);
        var (_, merchantId) = await BenchmarkMerchant.CreateAsync(app, "Bench shop", users[0]);
        await BenchmarkUsers.FundAsync(grains, users);
        var hot = await ProductAsync(grains, merchantId, CommerceLimits.MaxUnits);
        var catalog = new string[Products];
        await Parallel.ForEachAsync(Enumerable.Range(0, Products), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (index, _) => catalog[index] = await ProductAsync(grains, merchantId, 10_000));
        await using (var table = dataSource.CreateCommand($"DROP TABLE IF EXISTS bench_stock; CREATE TABLE bench_stock (id int PRIMARY KEY, units int NOT NULL CHECK (units >= 0)); INSERT INTO bench_stock VALUES (0, {int.MaxValue}), (1, {int.MaxValue});"))
        {
            await table.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"Seeded {Users:N0} funded buyers, a hot product and {Products:N0} others");

        var next = -1;
        var paths = new Dictionary<string, Func<int, int, int, Task<bool>>>
        {
            ["rowlock-hot"] = async (_, _, _) =>
            {
                await using var decrement = dataSource.CreateCommand("UPDATE bench_stock SET units = units - 1 WHERE id = 0 AND units > 0");
                return await decrement.ExecuteNonQueryAsync() == 1;
            },
            ["plain-grain-hot"] = (_, _, _) => grains.GetGrain<IPlainStockGrain>(1).Reserve(),
            ["tx-hot"] = async (_, _, _) =>
            {
                await grains.GetGrain<IStockTransactionGrain>(0).Reserve(PrefixedId.New(PrefixedId.Order), [new StockRequest(hot, 1)]);
                return true;
            },
            ["orders-hot"] = (_, _, _) => OrderAsync(grains, users[Interlocked.Increment(ref next) % Users], hot),
            ["orders-many"] = (_, _, random) => OrderAsync(grains, users[Interlocked.Increment(ref next) % Users], catalog[random % Products]),
        };
        var selected = paths.Keys.Where(implementations.Contains).ToList();
        var scenario = new TransferScenario("commerce", Workers, (_, random) => (0, random.Next(Products)));
        foreach (var implementation in selected)
        {
            await ClosedLoop.RunAsync(scenario, ClosedLoop.WarmUp / 3, paths[implementation]);
        }

        Console.WriteLine($"Warmed up for {ClosedLoop.WarmUp.TotalSeconds / 3:0} s on each path");
        foreach (var implementation in selected)
        {
            var result = await ClosedLoop.RunAsync(scenario, duration, paths[implementation]);
            var row = TransfersBenchmark.Row(scenario, implementation, result);
            row.Remove("transfersPerSecond");
            row["operationsPerSecond"] = result.TransfersPerSecond;
            report.Add(row);
        }

        await using (var count = dataSource.CreateCommand("SELECT status, count(*) FROM orders GROUP BY status ORDER BY status"))
        await using (var reader = await count.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Console.WriteLine($"Orders {reader.GetString(0)}: {reader.GetInt64(1):N0}");
            }
        }

        var audit = await grains.GetGrain<ILedgerAuditGrain>("default").Audit();
        Console.WriteLine($"Ledger audit after the run: balanced={audit.Balanced}, transactions={audit.Transactions}");
        if (!audit.Balanced)
        {
            throw new InvalidOperationException("The ledger is not balanced after the benchmark.");
        }

        await app.StopAsync();
    }

    private static async Task<string> ProductAsync(IGrainFactory grains, string merchantId, int units)
    {
        var id = PrefixedId.New(PrefixedId.Product);
        var created = await grains.GetGrain<IProductGrain>(id).Create(merchantId, "bench", new NewProduct("Bench product", "", Price, "USD", units));
        return created.Value?.Id ?? throw new InvalidOperationException($"No product: {created.Error?.Message}");
    }

    /// <summary>A whole order through the idempotency grain, as the API places it; true when it ended fulfilled.</summary>
    private static async Task<bool> OrderAsync(IGrainFactory grains, string buyer, string product)
    {
        var key = Guid.NewGuid().ToString("N");
        var command = new PlaceOrderCommand(buyer, [new StockRequest(product, 1)], new OrderPaymentMethod("wallet", null), null);
        var placed = await grains.GetGrain<IIdempotencyGrain>($"{buyer}/{key}").Execute(command, key);
        if (placed.Status != 201)
        {
            return false;
        }

        var id = System.Text.Json.JsonDocument.Parse(placed.Body).RootElement.GetProperty("id").GetString()!;
        return (await grains.GetGrain<IOrderGrain>(id).Get(buyer)).Value?.Status == OrderStatus.Fulfilled;
    }
}
