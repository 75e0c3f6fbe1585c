using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Benchmarks.Reporting;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Ledger;
using Payments.Grains.Users;
using Payments.Grains.Notifications;
using Payments.Infrastructure.Streams;
using Orleans;
using Payments.Infrastructure.Postgres;
using Payments.Silo.Database;
using Payments.Silo.Hosting;

namespace Payments.Benchmarks.Transfers;

/// <summary>
/// Durable transfers per second for hot-wallet, uniform and hot-sender, each through (a) the grain path in-process,
/// (b) a row-locking baseline on the same PostgreSQL, (c) the REST API end to end. PostgreSQL runs with fsync and
/// synchronous commit on: a figure measured with durability off is not a payment figure.
/// </summary>
internal static class TransfersBenchmark
{
    internal const string Password = "benchmark-password";

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, IReadOnlyCollection<string> implementations, IReadOnlyCollection<string> scenarios, IReadOnlyList<int> concurrencyFactors)
    {
        await using var postgres = await StartPostgresAsync();
        var connectionString = await CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await StartSiloAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var users = await SeedUsersAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), TransferScenario.UniformWallets);
        await FundAsync(grains, users);
        Console.WriteLine($"Seeded and funded {users.Length} wallets");

        await using var baselineData = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 300 }.ConnectionString);
        var baseline = new RowLockBaseline(baselineData);
        await baseline.SetUpAsync(TransferScenario.UniformWallets, 10_000_000);

        var tokens = implementations.Contains("http") ? await LoginAllAsync(grains, users) : [];
        var runs = TransferScenario.All.Where(scenario => scenarios.Contains(scenario.Name)).SelectMany(scenario => concurrencyFactors.Select(scenario.Scaled)).ToList();
        using var http = CreateHttpClient(new Uri(app.Urls.First()), runs);

        using var probe = new LedgerBatchProbe();
        var drain = new StreamDrain(baselineData, app.Services.GetRequiredService<IOptions<StreamOptions>>().Value.Deliver);
        var writer = app.Services.GetRequiredService<LedgerWriter>();
        var paths = new Dictionary<string, Func<int, int, int, Task<bool>>>
        {
            ["grains"] = (worker, from, to) => SendThroughGrainsAsync(grains, users[from], users[to]),
            ["writer"] = (worker, from, to) => SendThroughWriterAsync(writer, users[from], users[to]),
            ["rowlock"] = (worker, from, to) => baseline.TransferAsync(from, to, 1),
            ["http"] = (worker, from, to) => SendOverHttpAsync(http, tokens[from], users[to]),
        };

        // Every path is measured warm (JIT tiers, pools, the uniform scenario's wallet and session activations).
        foreach (var implementation in paths.Keys.Where(implementations.Contains))
        {
            await ClosedLoop.RunAsync(TransferScenario.Uniform, ClosedLoop.WarmUp, paths[implementation]);
        }

        await drain.CatchUpAsync();
        Console.WriteLine($"Warmed up for {ClosedLoop.WarmUp.TotalSeconds:0} s on each path");

        // CPU a transfer: this process (silo, REST API and load generator together) and PostgreSQL.
        var cpu = new ProcessCpu(new Dictionary<string, IReadOnlyList<int>> { ["process"] = [Environment.ProcessId] });
        foreach (var scenario in runs)
        {
            foreach (var implementation in paths.Keys.Where(implementations.Contains))
            {
                // Every path but the baseline commits through the ledger writer ("writer" is a diagnostic: the writer
                // alone, fed the entries a wallet grain would build).
                var ledger = implementation != "rowlock";
                probe.TakeAverages();
                await CheckpointAsync(baselineData);
                var before = cpu.Sample();
                var result = await ClosedLoop.RunAsync(scenario, duration, paths[implementation]);
                var row = Row(scenario, implementation, result);
                ProcessCpu.Record(row, before, cpu.Sample(), result.TransfersPerSecond * duration.TotalSeconds);
                if (ledger)
                {
                    var (batchSize, batchMilliseconds) = probe.TakeAverages();
                    row["avgBatch"] = batchSize;
                    row["avgBatchMs"] = batchMilliseconds;
                    await drain.RecordAsync(row, result.TransfersPerSecond, duration);
                }

                report.Add(row);
            }
        }

        var audit = await grains.GetGrain<ILedgerAuditGrain>("default").Audit();
        Console.WriteLine($"Ledger audit after the run: balanced={audit.Balanced}, transactions={audit.Transactions}, postings={audit.Postings}");
        if (!audit.Balanced)
        {
            throw new InvalidOperationException("The ledger is not balanced after the benchmark.");
        }

        await app.StopAsync();
    }

    /// <summary>
    /// Starts a measurement from a fresh checkpoint. The first change to a page after a checkpoint writes the whole page
    /// to the WAL; a checkpoint falling inside one measurement and not another makes runs of the same code differ.
    /// </summary>
    internal static async Task CheckpointAsync(NpgsqlDataSource superuser)
    {
        await using var command = superuser.CreateCommand("CHECKPOINT");
        await command.ExecuteNonQueryAsync();
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

    private static async Task<bool> SendThroughGrainsAsync(IGrainFactory grains, string from, string to)
    {
        var command = new TransferCommand(from, to, 1, "USD", "", "public");
        var key = Guid.NewGuid().ToString("N");
        var response = await grains.GetGrain<IIdempotencyGrain>($"{from}/{key}").Execute(command, key);
        return response.Status == 201;
    }

    private static async Task<bool> SendThroughWriterAsync(LedgerWriter writer, string from, string to)
    {
        var id = TransactionId.New();
        var now = DateTimeOffset.UtcNow;
        var fromAccount = LedgerAccounts.Wallet(new UserId(Guid.Parse(from)), "USD");
        var view = new Grains.Interfaces.Transfers.TransferView(id.ToString(), from, to, 1, "USD", "", "public", Grains.Interfaces.Transfers.TransferStatus.Completed, now);
        var key = Guid.NewGuid().ToString("N");
        var entry = new LedgerEntry(
            id, LedgerEntryTypes.Transfer, now,
            [new LedgerMovement(fromAccount, LedgerAccounts.Wallet(new UserId(Guid.Parse(to)), "USD"), 1, "USD")],
            new TransferRemark("", "public"),
            new IdempotencyStamp(from, key, key),
            balances => Grains.Interfaces.PaymentsJson.Created(new Grains.Interfaces.Transfers.TransferReceipt(view, balances.BalanceAfter(fromAccount))),
            [OutboxMessage.Create(new StreamId(TransferStream.Namespace, from), TransferStream.TransferCompleted, System.Text.Json.JsonSerializer.Serialize(view, Grains.Interfaces.PaymentsJson.Options))]);
        return await writer.SubmitAsync(entry) is LedgerResult.Committed;
    }

    /// <summary>
    /// A client with a connection for every worker of the largest scenario (each has one request in flight), so that
    /// scaled-up scenarios measure the server, not requests queued for a connection in the client.
    /// </summary>
    internal static HttpClient CreateHttpClient(Uri baseAddress, IEnumerable<TransferScenario> scenarios) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = scenarios.Max(scenario => scenario.Workers) }) { BaseAddress = baseAddress };

    internal static async Task<bool> SendOverHttpAsync(HttpClient http, string token, string to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers")
        {
            Content = new StringContent($$"""{"to":"{{to}}","amount":1,"currency":"USD"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode == 201;
    }

    /// <param name="folder">The data folder's name under the temp folder; benchmarks that may run at the same time use different ones.</param>
    internal static async Task<EmbeddedPostgresServer> StartPostgresAsync(string folder = "orleans-payments-bench")
    {
        var directory = Path.Combine(Path.GetTempPath(), folder);
        return await EmbeddedPostgresServer.StartAsync(new EmbeddedPostgresSettings { DataDirectory = directory, Durable = true, MaxConnections = 400, SharedBuffersMegabytes = 1024 }, NullLogger.Instance);
    }

    internal static async Task<string> CreateDatabaseAsync(string serverConnectionString)
    {
        var name = $"bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            // Earlier runs' databases go first, so the data folder does not grow by a database per run. Benchmarks that
            // may run at the same time use separate servers (see StartPostgresAsync).
            var earlier = new List<string>();
            await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    earlier.Add(reader.GetString(0));
                }
            }

            foreach (var stale in earlier)
            {
                await new NpgsqlCommand($"DROP DATABASE \"{stale}\" WITH (FORCE)", connection).ExecuteNonQueryAsync();
            }

            await new NpgsqlCommand($"CREATE DATABASE {name}", connection).ExecuteNonQueryAsync();
        }

        var database = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(database);
        await SchemaMigrator.ApplyAsync(dataSource, PaymentsSchema.Scripts, NullLogger.Instance);
        return database;
    }

    internal static async Task<WebApplication> StartSiloAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:Wallets:DailySendLimit"] = "1000000000000",
            ["Payments:Users:PasswordHashIterations"] = "1000",
            ["Payments:Api:RateLimit:PermitsPerSecond"] = "1000000",
            ["Payments:Api:RateLimit:Burst"] = "1000000",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var app = SiloApplication.Build(builder, connectionString);
        await app.StartAsync();
        return app;
    }

    /// <summary>Users and wallets straight into the tables (registration speed is not what is measured here).</summary>
    internal static async Task<string[]> SeedUsersAsync(NpgsqlDataSource dataSource, int count)
    {
        var users = Enumerable.Range(0, count).Select(_ => UserId.New()).ToArray();
        var hash = PasswordHasher.Hash(Password, 1000);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("COPY users (id, username, display_name, password_hash) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < users.Length; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(users[i].Value);
                await writer.WriteAsync($"bench_{i}");
                await writer.WriteAsync($"Bench {i}");
                await writer.WriteAsync(hash);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY accounts (id, kind, user_id, currency) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var user in users)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(LedgerAccounts.Wallet(user, "USD"));
                await writer.WriteAsync("wallet");
                await writer.WriteAsync(user.Value);
                await writer.WriteAsync("USD", NpgsqlTypes.NpgsqlDbType.Char);
            }

            await writer.CompleteAsync();
        }

        return users.Select(user => user.Key).ToArray();
    }

    /// <summary>Every wallet gets 1,000,000 through real deposits (so the ledger stays balanced); wallet 0 gets 10,000,000.</summary>
    internal static async Task FundAsync(IGrainFactory grains, string[] users)
    {
        using var throttle = new SemaphoreSlim(512);
        await Task.WhenAll(users.Select(async (user, index) =>
        {
            await throttle.WaitAsync();
            try
            {
                var command = new DepositCommand(user, index == 0 ? 10_000_000 : 1_000_000);
                var response = await grains.GetGrain<IIdempotencyGrain>($"{user}/funding").Execute(command, "funding");
                if (response.Status != 201)
                {
                    throw new InvalidOperationException($"Funding {user} failed: {response.Body}");
                }
            }
            finally
            {
                throttle.Release();
            }
        }));
    }

    internal static async Task<string[]> LoginAllAsync(IGrainFactory grains, string[] users)
    {
        var directory = grains.GetGrain<IUserDirectoryGrain>("default");
        var tokens = new string[users.Length];
        using var throttle = new SemaphoreSlim(64);
        await Task.WhenAll(users.Select(async (_, index) =>
        {
            await throttle.WaitAsync();
            try
            {
                var session = await directory.Login($"bench_{index}", Password);
                tokens[index] = session.Value?.Token ?? throw new InvalidOperationException($"Login of bench_{index} failed: {session.Error?.Message}");
            }
            finally
            {
                throttle.Release();
            }
        }));
        return tokens;
    }
}
