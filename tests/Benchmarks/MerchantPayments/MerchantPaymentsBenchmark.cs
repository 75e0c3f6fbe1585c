using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.Grains.Acquiring;
using Payments.Grains.Fraud;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.MerchantPayments;
using Payments.Grains.Merchants;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.References;

namespace Payments.Benchmarks.MerchantPayments;

/// <summary>
/// Card payments authorized then captured (two ledger entries each, with holds) on one hot merchant, per second,
/// through the grains as the REST API sends them, against a row-locking baseline on the same PostgreSQL in the same
/// run. Durable PostgreSQL (fsync and synchronous commit on). With several rounds the paths alternate (grains,
/// row locking, grains, ...) and each round adds a row with their ratio: this machine's speed drifts by a third within
/// minutes, so only measurements side by side compare.
/// </summary>
internal static class MerchantPaymentsBenchmark
{
    private const int Workers = 64;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, IReadOnlyCollection<string> implementations, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        await using var postgres = await BenchmarkPostgres.StartAsync();
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var (_, merchantId) = await BenchmarkMerchant.CreateAsync(app, "Hot merchant");

        await using var baselineData = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 300 }.ConnectionString);
        var baseline = new RowLockPayments(baselineData);
        await baseline.SetUpAsync();
        // The platform's own pool settings: statements prepared, connections not reset between transactions.
        await using var ledgerBaselineData = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = 300, MaxAutoPrepare = PostgresServiceCollectionExtensions.AutoPreparedStatements, NoResetOnClose = true,
        }.ConnectionString);
        var ledgerBaseline = new RowLockLedgerPayments(
            ledgerBaselineData, merchantId, app.Services.GetRequiredService<MerchantStore>(), app.Services.GetRequiredService<FraudScorer>(),
            app.Services.GetRequiredService<ICardAcquirer>(), app.Services.GetRequiredService<IOptions<MerchantPaymentOptions>>().Value);
        await ledgerBaseline.SetUpAsync();

        var paths = new Dictionary<string, Func<int, int, int, Task<bool>>>
        {
            ["grains"] = (_, _, _) => ThroughIdempotencyGrainsAsync(grains, merchantId),
            ["payment-grain"] = (_, _, _) => DirectlyToPaymentGrainsAsync(grains, merchantId),
            ["rowlock"] = (_, _, _) => baseline.AuthorizeAndCaptureAsync(1_000),
            ["rowlock-ledger"] = (_, _, _) => ledgerBaseline.AuthorizeAndCaptureAsync(),
        };
        var selected = paths.Keys.Where(implementations.Contains).ToList();
        var scenario = new TransferScenario("hot-merchant", Workers, (_, _) => (0, 0));
        foreach (var implementation in selected)
        {
            await ClosedLoop.RunAsync(scenario, ClosedLoop.WarmUp, paths[implementation]);
        }

        Console.WriteLine($"Warmed up for {ClosedLoop.WarmUp.TotalSeconds:0} s on each path");
        var cpu = new ProcessCpu(new Dictionary<string, IReadOnlyList<int>> { ["process"] = [Environment.ProcessId] }, postgres.ClusterDirectory);
        for (var round = 1; round <= rounds; round++)
        {
            var perSecond = new Dictionary<string, double>();
            foreach (var implementation in selected)
            {
                await BenchmarkPostgres.CheckpointAsync(baselineData);
                var before = cpu.Sample();
                var result = await ClosedLoop.RunAsync(scenario, duration, paths[implementation]);
                var row = TransfersBenchmark.Row(scenario, implementation, result);
                row.Remove("transfersPerSecond");
                row["round"] = round;
                row["paymentsPerSecond"] = result.TransfersPerSecond;
                ProcessCpu.Record(row, before, cpu.Sample(), result.TransfersPerSecond * duration.TotalSeconds);
                report.Add(row);
                perSecond[implementation] = result.TransfersPerSecond;
            }

            var ratios = new JsonObject { ["scenario"] = scenario.Name, ["round"] = round };
            foreach (var (baselineName, baselinePerSecond) in perSecond.Where(measured => IsBaseline(measured.Key) && measured.Value > 0))
            {
                foreach (var (implementation, payments) in perSecond.Where(measured => !IsBaseline(measured.Key)))
                {
                    ratios[$"{CamelCase(implementation)}To{PascalCase(baselineName)}"] = Math.Round(payments / baselinePerSecond, 2);
                }
            }

            if (ratios.Count > 2)
            {
                report.Add(ratios);
            }
        }

        await ledgerBaseline.VerifyAsync();
        var audit = await grains.GetGrain<ILedgerAuditGrain>("default").Audit();
        Console.WriteLine($"Ledger audit after the run: balanced={audit.Balanced}, transactions={audit.Transactions}");
        if (!audit.Balanced)
        {
            throw new InvalidOperationException("The ledger is not balanced after the benchmark.");
        }

        await app.StopAsync();
    }

    private static bool IsBaseline(string implementation) => implementation.StartsWith("rowlock", StringComparison.Ordinal);

    /// <summary>"payment-grain" → "PaymentGrain", as a ratio's name spells it (grainsToRowlockLedger).</summary>
    private static string PascalCase(string implementation) =>
        string.Concat(implementation.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static string CamelCase(string implementation) => char.ToLowerInvariant(implementation[0]) + PascalCase(implementation)[1..];

    /// <summary>
    /// One payment as a merchant's client makes it: authorize (manual capture), then capture, each with a new
    /// Idempotency-Key, sent by <paramref name="send"/>. Each payment comes from another card (a fresh fingerprint), as
    /// at a busy shop, so fraud scoring runs its queries but velocity rules stay quiet.
    /// </summary>
    private static async Task<bool> AuthorizeAndCaptureAsync(string merchantId, Func<IdempotentCommand, string, Task<StoredResponse>> send)
    {
        var authorized = await send(NewPayment(merchantId), Guid.NewGuid().ToString("N"));
        if (authorized.Status != 201)
        {
            return false;
        }

        var captured = await send(CaptureOf(merchantId, authorized), Guid.NewGuid().ToString("N"));
        return captured.Status == 201;
    }

    /// <summary>Each request through its idempotency grain, as the REST API sends it.</summary>
    private static Task<bool> ThroughIdempotencyGrainsAsync(IGrainFactory grains, string merchantId) =>
        AuthorizeAndCaptureAsync(merchantId, (command, key) => grains.Reference<IIdempotencyGrain>($"{merchantId}/{key}").Execute(command, key));

    /// <summary>
    /// Each request to the payment grain directly, as its idempotency grain would call it: what the idempotency grain
    /// in front (an activation and a call per request) costs. Not a path clients can take.
    /// </summary>
    private static Task<bool> DirectlyToPaymentGrainsAsync(IGrainFactory grains, string merchantId) =>
        AuthorizeAndCaptureAsync(merchantId, async (command, key) =>
        {
            var stamp = new IdempotencyStamp(merchantId, key, key);
            var outcome = command switch
            {
                CreateMerchantPaymentCommand create => await grains.Reference<IMerchantPaymentGrain>(PrefixedId.New(PrefixedId.Payment)).Create(create, stamp),
                CaptureMerchantPaymentCommand capture => await grains.Reference<IMerchantPaymentGrain>(capture.PaymentId).Capture(capture, stamp),
                _ => throw new ArgumentException($"No direct path for {command.GetType().Name}.", nameof(command)),
            };
            return outcome.Response;
        });

    private static CreateMerchantPaymentCommand NewPayment(string merchantId)
    {
        var card = new CardDetails("4242424242424242", 12, 2030, "123", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), "visa", "4242");
        return new CreateMerchantPaymentCommand(merchantId, "api_key:key_benchmark", 1_000, "USD", CaptureMethods.Manual, card, null, null, null, null, null, null);
    }

    private static CaptureMerchantPaymentCommand CaptureOf(string merchantId, StoredResponse authorized)
    {
        var paymentId = System.Text.Json.JsonDocument.Parse(authorized.Body).RootElement.GetProperty("id").GetString()!;
        return new CaptureMerchantPaymentCommand(merchantId, "api_key:key_benchmark", paymentId, null);
    }
}
