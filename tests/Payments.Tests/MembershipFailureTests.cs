using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Payments.Infrastructure.Cluster;
using Payments.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Payments.Tests;

/// <summary>
/// Orleans' failure detection with the project's membership tuning, on real silo processes behind a separate front end:
/// a SIGKILLed silo and a hung (SIGSTOPped) one are declared dead, their users' grains answer again on the survivors,
/// and a hung silo that wakes after its death stops itself without committing anything.
/// </summary>
/// <remarks>
/// Bounds leave room for a loaded 2-core machine but fail with Orleans' defaults (a killed silo declared dead after about
/// 11 s, a hung one after about 62 s); the measured seconds go to the test output.
/// </remarks>
public sealed class MembershipFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const long InitialDeposit = 50_000;
    private const string ClusterId = "membership-failure-test";
    private const int DeadStatus = 6; // Orleans' SiloStatus.Dead in the membership table

    private readonly List<SiloProcess> _processes = [];
    private SiloProcess? _frontEnd;
    private string _directory = null!;
    private string _connectionString = null!;
    private Dictionary<string, string?> _environment = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("membership-").FullName;
        _connectionString = await TestPostgres.CreateDatabaseAsync("membership");
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = _connectionString,
            ["Payments__Users__PasswordHashIterations"] = "1000",
            ["Payments__AdminToken"] = InProcessSilo.AdminToken,
            ["Payments__Cluster__ClusterId"] = ClusterId,
            ["Serilog__MinimumLevel__Override__Orleans.Runtime.MembershipService"] = "Information",
        };
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_killed_silo_is_declared_dead_and_its_users_transfer_again_on_the_survivors()
    {
        var (api, users, victim, victims) = await StartClusterAsync("killed");
        var load = new TransferLoad(api, users);

        await victim.Process.KillAsync();
        var sinceKill = Stopwatch.StartNew();
        var declaredInTable = UntilDeadInTableAsync(victim.SiloPort, sinceKill, TimeSpan.FromSeconds(30));
        var declaredInApi = UntilNotActiveInApiAsync(api, victim.SiloPort, sinceKill, TimeSpan.FromSeconds(30));
        // Each user whose wallet lived on the killed silo sends a transfer, retrying 503s with the same key every 100 ms.
        // The client gives up on an attempt after 3 s: once in seven runs on a loaded machine a request sent just after
        // the kill was lost, and Orleans' client (the front end) waits its whole response timeout (30 s) for such a one.
        using var impatientHttp = new HttpClient { BaseAddress = api.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(3) };
        var impatient = new ApiClient(impatientHttp);
        var answered = await Task.WhenAll(victims.Select(async index =>
        {
            Assert.True(await load.SendAsync(index, (index + 1) % users.Length, 100 + index, $"after-kill-{index}", TimeSpan.FromMilliseconds(100), impatient));
            return sinceKill.Elapsed;
        }));
        var (inTable, inApi) = (await declaredInTable, await declaredInApi);
        var allAnswered = answered.Max();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SIGKILL: declared dead in the membership table after {inTable.TotalSeconds:0.00} s, not active in GET /v1/admin/cluster after {inApi.TotalSeconds:0.00} s; all {victims.Length} users whose wallets it hosted transferred again after {allAnswered.TotalSeconds:0.00} s (first {answered.Min().TotalSeconds:0.00} s; {load.AbandonedAttempts} attempts abandoned after 3 s)."));

        // Issue 16's target is 5 s (measured 1.3-1.8 s on an idle machine); Orleans' defaults take about 11 s.
        Assert.True(inApi < TimeSpan.FromSeconds(10), $"The killed silo was reported not active only after {inApi.TotalSeconds:0.0} s.");
        Assert.True(allAnswered < TimeSpan.FromSeconds(10), $"Users of the killed silo transferred again only after {allAnswered.TotalSeconds:0.0} s. The front end's retryable failures:\n{RetryableFailuresLog()}");
        var cluster = await ClusterAsync(api);
        Assert.Equal("dead", StatusOf(cluster, victim.SiloPort));
        Assert.Equal(2, cluster.Count(silo => silo["status"]!.GetValue<string>() == "active"));
        await load.VerifyAsync(InitialDeposit);
    }

    [Fact]
    public async Task A_hung_silo_is_declared_dead_and_on_waking_stops_itself_without_committing()
    {
        var (api, users, victim, victims) = await StartClusterAsync("hung");
        var load = new TransferLoad(api, users);
        var duringPause = load.RunAsync(workers: 6, transfersPerWorker: 50, round: "during-pause");
        await Eventually.TrueAsync(() => Task.FromResult(load.Acknowledged.Count >= 40 || duringPause.IsCompleted), TimeSpan.FromSeconds(60), "the load gets going");
        Assert.False(duringPause.IsCompleted, "The load ended before the silo was stopped.");

        await victim.Process.SuspendAsync();
        var sincePause = Stopwatch.StartNew();
        // A request to the hung silo's own API: it sits in the socket until the silo wakes, then runs there, on a silo
        // the cluster has declared dead. Nothing it does may commit.
        using var zombieHttp = new HttpClient { BaseAddress = victim.Process.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        var zombieRequest = AnswerOrFailureAsync(new ApiClient(zombieHttp).TransferAsync(users[victims[0]].Token, users[(victims[0] + 1) % users.Length].Id, 7, "zombie-1", note: "sent to the hung silo"));

        var declared = await UntilDeadInTableAsync(victim.SiloPort, sincePause, TimeSpan.FromSeconds(30));
        victim.Process.Resume();
        var sinceWake = Stopwatch.StartNew();
        var exited = await victim.Process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var exitedAfter = sinceWake.Elapsed;
        var ending = exited
            ? string.Create(CultureInfo.InvariantCulture, $"exited on its own after {exitedAfter.TotalSeconds:0.00} s (exit code {victim.Process.ExitCode})")
            : "had not exited within 20 s";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIGSTOP: declared dead in the membership table after {declared.TotalSeconds:0.00} s; after SIGCONT the silo {ending}."));
        // Issue 16's target is 10 s (measured about 6 s); with Orleans' defaults a hung silo is not even suspected for 60 s
        // (UntilDeadInTableAsync above fails past 30 s).
        Assert.True(exited, $"The silo declared dead did not stop itself within 20 s of waking:\n{victim.Process.OutputTail(60)}");
        Assert.Contains("The silo stops at once", victim.Process.Output, StringComparison.Ordinal);

        var refusedCommits = victim.Process.Output.Split('\n').Count(line => line.Contains("commits nothing more", StringComparison.Ordinal));
        output.WriteLine($"Log lines of the woken silo that mention a refused commit: {refusedCommits}.");
        var (zombieStatus, zombieAnswer) = await zombieRequest;
        output.WriteLine($"The request sent to the hung silo's own API: {zombieAnswer}.");
        Assert.NotEqual(HttpStatusCode.Created, zombieStatus);

        var afterWake = load.RunAsync(workers: 4, transfersPerWorker: 25, round: "after-wake");
        await Task.WhenAll(duringPause, afterWake);
        output.WriteLine($"{load.Acknowledged.Count} transfers acknowledged in all.");
        Assert.Equal("dead", StatusOf(await ClusterAsync(api), victim.SiloPort));
        // The zombie's transfer is not in any history: VerifyAsync finds exactly the acknowledged transfers.
        await load.VerifyAsync(InitialDeposit);
    }

    /// <summary>
    /// Three silos, a front end and twelve funded users; the silo hosting the most users' wallets (found through Orleans'
    /// management grain) is the one the test will fail, and those users are its victims.
    /// </summary>
    private async Task<(ApiClient Api, (string Id, string Token)[] Users, Silo Victim, int[] Victims)> StartClusterAsync(string prefix)
    {
        var silos = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSiloAsync()));
        var api = await StartFrontEndAsync();
        await Eventually.TrueAsync(async () => (await ClusterAsync(api)).Count(silo => silo["status"]!.GetValue<string>() == "active") == 3, TimeSpan.FromSeconds(60), "three silos are active");
        // One at a time: the API refuses to check many passwords at once, and a busy machine would hit that limit.
        var users = new (string Id, string Token)[12];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = await api.SignUpAsync($"{prefix}_user_{i}", deposit: InitialDeposit);
        }

        var walletSilos = await WalletSiloPortsAsync();
        int? PortOf(string userId) => walletSilos.TryGetValue(userId, out var port) ? port : null;
        var victim = silos.MaxBy(silo => users.Count(user => PortOf(user.Id) == silo.SiloPort))!;
        var victims = Enumerable.Range(0, users.Length).Where(i => PortOf(users[i].Id) == victim.SiloPort).ToArray();
        output.WriteLine($"Wallets per silo port: {string.Join(", ", silos.Select(silo => $"{silo.SiloPort}: {users.Count(user => PortOf(user.Id) == silo.SiloPort)}"))}; failing {victim.SiloPort}.");
        Assert.NotEmpty(victims);
        return (api, users, victim, victims);
    }

    /// <summary>Where each user's wallet grain is active (user id → silo port), as Orleans' management grain reports it.</summary>
    private async Task<Dictionary<string, int>> WalletSiloPortsAsync()
    {
        NpgsqlAdoNetProvider.Register();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ClusterId;
                options.ServiceId = PaymentsClusterOptions.ServiceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
                options.ConnectionString = _connectionString;
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var statistics = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
            return statistics
                .Where(statistic => statistic.GrainId.Type.ToString() == "wallet")
                .GroupBy(statistic => statistic.GrainId.Key.ToString()!)
                .ToDictionary(group => group.Key, group => group.First().SiloAddress.Endpoint.Port);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Polls Orleans' membership table until the silo's row says Dead; the time since <paramref name="since"/> started.</summary>
    private async Task<TimeSpan> UntilDeadInTableAsync(int siloPort, Stopwatch since, TimeSpan within)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        while (true)
        {
            await using (var command = dataSource.CreateCommand("SELECT status FROM orleans_membership WHERE deployment_id = $1 AND port = $2 ORDER BY generation DESC LIMIT 1"))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ClusterId });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = siloPort });
                if (await command.ExecuteScalarAsync() is DeadStatus)
                {
                    return since.Elapsed;
                }
            }

            if (since.Elapsed > within)
            {
                throw new Xunit.Sdk.XunitException($"The silo on port {siloPort} was not declared dead within {within.TotalSeconds:0} s. Membership table:\n{await MembershipTableAsync(dataSource)}\nSurvivors' membership logs:\n{SurvivorsMembershipLog()}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> MembershipTableAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT port, generation, status, suspect_times, i_am_alive_time, now() FROM orleans_membership ORDER BY port");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add($"port {reader.GetInt32(0)} gen {reader.GetInt32(1)} status {reader.GetInt32(2)} suspects [{(reader.IsDBNull(3) ? "" : reader.GetString(3))}] alive {reader.GetDateTime(4):HH:mm:ss.fff} now {reader.GetDateTime(5):HH:mm:ss.fff}");
        }

        return string.Join('\n', rows);
    }

    private string RetryableFailuresLog() => string.Join('\n', _frontEnd!.Output.Split('\n')
        .Where(line => line.Contains("retryable error", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal))
        .Select(line => line.Length > 700 ? line[..700] : line).Take(40));

    private string SurvivorsMembershipLog() => string.Join("\n---\n", _processes.Where(process => !process.HasExited).Select(process =>
        string.Join('\n', process.Output.Split('\n').Where(line => line.Contains("Membership", StringComparison.Ordinal) || line.Contains("Health", StringComparison.Ordinal)).TakeLast(30))));

    /// <summary>Polls GET /v1/admin/cluster until the silo is listed and not active; the time since <paramref name="since"/> started.</summary>
    private static async Task<TimeSpan> UntilNotActiveInApiAsync(ApiClient api, int siloPort, Stopwatch since, TimeSpan within)
    {
        while (StatusOf(await ClusterAsync(api), siloPort) is "active" or null)
        {
            if (since.Elapsed > within)
            {
                throw new Xunit.Sdk.XunitException($"GET /v1/admin/cluster still listed the silo on port {siloPort} as active after {within.TotalSeconds:0} s.");
            }

            await Task.Delay(50);
        }

        return since.Elapsed;
    }

    private static async Task<List<JsonNode>> ClusterAsync(ApiClient api)
    {
        // Orleans' management grain is a stateless worker on the gateway that takes the call, which may be the failed silo.
        var cluster = await ApiClient.RetryWhileUnavailableAsync(() => api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", InProcessSilo.AdminToken), maxAttempts: 121, TimeSpan.FromMilliseconds(250));
        Assert.True(cluster.Status == HttpStatusCode.OK, cluster.Body);
        return cluster.Json["silos"]!.AsArray().Select(silo => silo!).ToList();
    }

    private static string? StatusOf(List<JsonNode> cluster, int siloPort) =>
        cluster.LastOrDefault(silo => silo["address"]!.GetValue<string>().EndsWith($":{siloPort}", StringComparison.Ordinal))?["status"]!.GetValue<string>();

    /// <summary>The status and a description of the answer, or no status when the connection failed or timed out.</summary>
    private static async Task<(HttpStatusCode? Status, string Description)> AnswerOrFailureAsync(Task<ApiClient.Response> request)
    {
        try
        {
            var response = await request;
            return (response.Status, $"{(int)response.Status} {response.Body}");
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return (null, $"no answer ({error.GetType().Name}: {error.Message})");
        }
    }

    private async Task<Silo> StartSiloAsync()
    {
        var siloPort = LoopbackPort.Free();
        var process = SiloProcess.Start(_directory, new Dictionary<string, string?>(_environment)
        {
            ["Payments__Cluster__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Payments__Cluster__GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
        });
        _processes.Add(process);
        // Generous: three silos and a front end starting at once on a busy 2-core machine.
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(180));
        return new Silo(process, siloPort);
    }

    private async Task<ApiClient> StartFrontEndAsync()
    {
        var frontEnd = SiloProcess.Start(_directory, _environment, "Payments.ApiFrontend.dll");
        _processes.Add(frontEnd);
        _frontEnd = frontEnd;
        await frontEnd.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        return new ApiClient(new HttpClient { BaseAddress = frontEnd.BaseAddress, Timeout = TimeSpan.FromSeconds(60) });
    }

    private sealed record Silo(SiloProcess Process, int SiloPort);
}
