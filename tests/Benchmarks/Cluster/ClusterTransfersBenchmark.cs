using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions;
using Npgsql;
using Payments.Client;
using Payments.Client.Generated;
using Payments.Client.Generated.Models;
using Payments.Infrastructure.Postgres;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.TestSupport;

namespace Payments.Benchmarks.Cluster;

/// <summary>
/// hot-wallet and uniform transfers through a separate REST front end process, with 1 and then 3 silo processes,
/// all on this machine and one durable PostgreSQL. With several rounds the two alternate (1, 3, 1, 3, ...) and each
/// round adds a row with the 3-silo figure as a fraction of the 1-silo one: runs minutes apart differ by more than
/// most changes, adjacent ones much less. With several concurrency factors each cluster runs each scenario at each
/// of them and the ratio compares peaks: a closed loop of fixed size measures latency as much as capacity, and more
/// processes add latency before they take away throughput.
/// </summary>
internal static class ClusterTransfersBenchmark
{
    private const string AdminToken = "benchmark-operator-token-0123456789";

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, int rounds, IReadOnlyList<int> concurrencyFactors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfZero(concurrencyFactors.Count);
        TransferScenario[] scenarios =
        [
            .. concurrencyFactors.Select(TransferScenario.HotWallet.Scaled),
            .. concurrencyFactors.Select(TransferScenario.Uniform.Scaled),
        ];
        await using var postgres = await BenchmarkPostgres.StartAsync();
        for (var round = 1; round <= rounds; round++)
        {
            var oneSilo = await RunClusterAsync(report, postgres, silos: 1, scenarios, duration, round);
            var threeSilos = await RunClusterAsync(report, postgres, silos: 3, scenarios, duration, round);
            foreach (var name in scenarios.Select(scenario => scenario.Name).Distinct())
            {
                var (peakOne, workersOne) = Peak(oneSilo, name, phase => phase.Acknowledged);
                var (peakThree, workersThree) = Peak(threeSilos, name, phase => phase.Acknowledged);
                var row = new JsonObject
                {
                    ["scenario"] = name,
                    ["implementation"] = "3-silos-over-1",
                    ["round"] = round,
                    ["ratio"] = Math.Round(peakThree / peakOne, 2),
                    ["peakConcurrency1"] = workersOne,
                    ["peakConcurrency3"] = workersThree,
                };
                if (oneSilo.Values.Concat(threeSilos.Values).All(phase => phase.Sustained is not null))
                {
                    // The same comparison once each phase's stream backlog is drained (see StreamDrain).
                    var (sustainedOne, _) = Peak(oneSilo, name, phase => phase.Sustained!.Value);
                    var (sustainedThree, _) = Peak(threeSilos, name, phase => phase.Sustained!.Value);
                    row["sustainedRatio"] = Math.Round(sustainedThree / sustainedOne, 2);
                }

                report.Add(row);
            }
        }
    }

    private static (double PerSecond, int Workers) Peak(Dictionary<TransferScenario, PhaseThroughput> throughput, string scenario, Func<PhaseThroughput, double> rate) =>
        throughput.Where(pair => pair.Key.Name == scenario).Select(pair => (rate(pair.Value), pair.Key.Workers)).MaxBy(peak => peak.Item1);

    /// <summary>One cluster of <paramref name="silos"/> silos and a front end on a fresh database; transfers a second by scenario.</summary>
    private static async Task<Dictionary<TransferScenario, PhaseThroughput>> RunClusterAsync(BenchmarkReport report, EmbeddedPostgresServer postgres, int silos, TransferScenario[] scenarios, TimeSpan duration, int round)
    {
        var throughput = new Dictionary<TransferScenario, PhaseThroughput>();
        var database = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = database,
            ["Payments__Cluster__ClusterId"] = $"bench-{silos}",
            ["Payments__AdminToken"] = AdminToken,
            ["Payments__Users__PasswordHashIterations"] = "1000",
            ["Payments__Wallets__DailySendLimit"] = "1000000000000",
            ["Payments__Api__RateLimit__PermitsPerSecond"] = "1000000",
            ["Payments__Api__RateLimit__Burst"] = "1000000",
        };
        // Every user signs in from this one address, many at a time.
        foreach (var (key, value) in TestSignInLimits.Environment)
        {
            environment[key] = value;
        }

        var processes = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                // Silos serve grains only; the front end serves the API.
                processes.Add(await StartAsync("Payments.Silo.dll", new Dictionary<string, string?>(environment)
                {
                    ["Payments__Api__Enabled"] = "false",
                    ["Payments__Cluster__SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
                    ["Payments__Cluster__GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
                }));
            }

            var frontEnd = await StartAsync("Payments.ApiFrontend.dll", environment);
            processes.Add(frontEnd);
            using var http = HttpTransfers.CreateClient(frontEnd.BaseAddress, scenarios);
            await WaitForSilosAsync(http, silos);

            await using var dataSource = NpgsqlDataSource.Create(database);
            var users = await BenchmarkUsers.SeedAsync(dataSource, TransferScenario.UniformWallets);
            var senders = await LoginAndFundAsync(http, users.Length);
            Console.WriteLine($"{silos} silo(s): seeded, logged in and funded {users.Length} wallets");

            Task<bool> SendAsync(int worker, int from, int to) => HttpTransfers.SendAsync(senders[from], users[to]);

            await ClosedLoop.RunAsync(TransferScenario.Uniform, ClosedLoop.WarmUp, SendAsync);

            // Where the CPU goes: the front end, the silos and PostgreSQL, per transfer.
            var cpu = new ProcessCpu(new Dictionary<string, IReadOnlyList<int>>
            {
                ["frontEnd"] = [frontEnd.ProcessId],
                ["silos"] = [.. processes.Where(process => process != frontEnd).Select(process => process.ProcessId)],
            }, postgres.ClusterDirectory);
            // The silos inherit this environment; with delivery off their backlog only grows.
            var drain = new StreamDrain(dataSource, !string.Equals(Environment.GetEnvironmentVariable("Payments__Streams__Deliver"), "false", StringComparison.OrdinalIgnoreCase));
            await drain.CatchUpAsync();
            foreach (var scenario in scenarios)
            {
                await BenchmarkPostgres.CheckpointAsync(dataSource);
                var before = cpu.Sample();
                var result = await ClosedLoop.RunAsync(scenario, duration, SendAsync);
                var row = TransfersBenchmark.Row(scenario, $"http-{silos}-silo{(silos == 1 ? "" : "s")}", result);
                ProcessCpu.Record(row, before, cpu.Sample(), result.TransfersPerSecond * duration.TotalSeconds);
                row["round"] = round;
                var sustained = await drain.RecordAsync(row, result.TransfersPerSecond, duration);
                report.Add(row);
                throughput[scenario] = new PhaseThroughput(result.TransfersPerSecond, sustained);
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }

        return throughput;
    }

    private static async Task<SiloProcess> StartAsync(string program, Dictionary<string, string?> environment)
    {
        var process = SiloProcess.Start(AppContext.BaseDirectory, new Dictionary<string, string?>(environment)
        {
            // As the in-process benchmark silo (BenchmarkSilo) logs: warnings, and no warning for each slow request.
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware"] = "Error",
        }, program);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return process;
    }

    private static async Task WaitForSilosAsync(HttpClient http, int silos)
    {
        var operatorClient = PaymentsClient.Create(http, AdminToken);
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(60))
        {
            var cluster = await operatorClient.V1.Admin.Cluster.GetAsync();
            if (cluster!.Silos!.Count(silo => silo.Status == "active") == silos)
            {
                await Task.Delay(3_000); // Let the front end's view catch up (it rereads membership every heartbeat).
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{silos} silos did not become active.");
    }

    /// <summary>Signs every user in and funds their wallet through the API; a typed client per user.</summary>
    private static async Task<PaymentsApiClient[]> LoginAndFundAsync(HttpClient http, int count)
    {
        var anonymous = PaymentsClient.Create(http);
        var senders = new PaymentsApiClient[count];
        using var throttle = new SemaphoreSlim(64);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async index =>
        {
            await throttle.WaitAsync();
            try
            {
                var session = await anonymous.V1.Sessions.PostAsync(new CreateSessionRequest { Username = $"bench_{index}", Password = BenchmarkUsers.Password });
                senders[index] = PaymentsClient.Create(http, session!.Token);
                await senders[index].V1.Wallet.Deposits.PostAsync(
                    new MovementRequest { Amount = BenchmarkUsers.Funding(index) },
                    PaymentsClient.IdempotencyKey<DefaultQueryParameters>("funding"));
            }
            finally
            {
                throttle.Release();
            }
        }));
        return senders;
    }

    /// <summary>A phase's acknowledged transfers a second, and the rate sustained once its stream backlog drained (null when not measured).</summary>
    private sealed record PhaseThroughput(double Acknowledged, double? Sustained);
}
