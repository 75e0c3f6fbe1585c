using System.Globalization;
using System.Net;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Orleans reminders (ADO.NET, in PostgreSQL) outlive the silo that registered them: after a SIGKILL, the next silo
/// declares the dead one dead, takes its share of the reminder ring and fires them. Shown with the payout retry
/// reminder ("retry-payouts"), in real processes over one database. (AdoNetProviderTests covers a reminder moving off
/// a silo that leaves while another runs.)
/// </summary>
public sealed class ReminderFailoverTests : IAsyncLifetime
{
    private readonly List<SiloProcess> _processes = [];
    private string _directory = null!;
    private string _database = null!;
    private Dictionary<string, string?> _environment = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("reminder-failover-").FullName;
        _database = await TestPostgres.CreateDatabaseAsync("reminder_failover");
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = _database,
            ["Payments__Users__PasswordHashIterations"] = "1000",
            ["Payments__AdminToken"] = InProcessSilo.AdminToken,
            ["Payments__Cluster__ClusterId"] = "reminder-failover",
            ["Payments__Payouts__RetryInterval"] = "00:00:01",
            // One bank call per payout attempt, so the failure injection counts attempts.
            ["Payments__Bank__Resilience__MaxRetries"] = "0",
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
    public async Task A_payout_retry_reminder_fires_on_the_next_silo_after_its_silo_is_killed()
    {
        // The first silo's bank refuses every payout, so its payouts stay owed and its reminder keeps coming back.
        var doomed = await StartSiloAsync(new() { ["Payments__Bank__FailFirstPayouts"] = "1000000" });
        var api = ApiClient.For(doomed.BaseAddress);
        var (userId, token) = await api.SignUpAsync("failover_payee", deposit: 1_000);
        var withdrawal = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount = 300 }, "failover-cash-out");
        Assert.Equal(HttpStatusCode.Created, withdrawal.Status);
        var transactionId = withdrawal.Json["transactionId"]!.GetValue<string>();

        await Eventually.TrueAsync(async () => await PayoutAsync(transactionId) is ("pending", >= 2), TimeSpan.FromSeconds(30),
            "the payout failed at the bank and the reminder tried it again");
        Assert.Equal(1L, await ReminderCountAsync(userId));

        // The silo dies before the survivor exists, so the survivor's bank (which pays) can only be reached through
        // the reminder it reads back from PostgreSQL. Starting the survivor first raced: while the grain directory
        // handed over its partition, a reminder tick could activate the grain on the survivor before the kill.
        await doomed.KillAsync();
        // A joining silo checks it can reach every active silo that renewed its I-am-alive lately; waiting until the
        // dead one's row is stale lets the survivor skip it, then declare it dead and take its share of the ring.
        await Eventually.TrueAsync(async () => await FreshActiveSilosAsync() == 0, TimeSpan.FromSeconds(30), "the killed silo stops renewing its row");
        Assert.Equal("pending", (await PayoutAsync(transactionId)).Status);

        // The survivor delivers no stream events: only the reminder can make it pay.
        var survivor = await StartSiloAsync(new() { ["Payments__Streams__Deliver"] = "false" });
        var survivorApi = ApiClient.For(survivor.BaseAddress);
        await Eventually.TrueAsync(async () => await PayoutAsync(transactionId) is ("paid", _), TimeSpan.FromSeconds(30),
            $"the reminder fires on the survivor and the payout is paid\n{survivor.OutputTail(40)}");
        Assert.Equal(1, await ActiveSilosAsync(survivorApi));

        var pending = await survivorApi.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending", InProcessSilo.AdminToken);
        Assert.Equal(HttpStatusCode.OK, pending.Status);
        Assert.Equal(0, pending.Json["count"]!.GetValue<long>());
        Assert.Equal(700, (await survivorApi.WalletAsync(token))["balance"]!.GetValue<long>());
        // Nothing is owed any more, so the one-shot pattern removed the reminder.
        await Eventually.TrueAsync(async () => await ReminderCountAsync(userId) == 0, TimeSpan.FromSeconds(30), "the reminder unregisters itself");
    }

    private async Task<SiloProcess> StartSiloAsync(Dictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(_environment)
        {
            ["Payments__Cluster__SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            ["Payments__Cluster__GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        var silo = SiloProcess.Start(_directory, environment);
        _processes.Add(silo);
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    private async Task<(string? Status, int Attempts)> PayoutAsync(string transactionId)
    {
        await using var dataSource = NpgsqlDataSource.Create(_database);
        await using var command = dataSource.CreateCommand("SELECT status, attempts FROM payouts WHERE transaction_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(transactionId) });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt32(1)) : (null, 0);
    }

    private async Task<long> ReminderCountAsync(string userId)
    {
        await using var dataSource = NpgsqlDataSource.Create(_database);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleans_reminders WHERE grain_id = 'payout/' || $1 AND reminder_name = 'retry-payouts'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> FreshActiveSilosAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_database);
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM orleans_membership WHERE status = 3 AND i_am_alive_time > now() - interval '5 seconds'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ActiveSilosAsync(ApiClient api)
    {
        var cluster = await api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", InProcessSilo.AdminToken);
        return cluster.Status == HttpStatusCode.OK
            ? cluster.Json["silos"]!.AsArray().Count(silo => silo!["status"]!.GetValue<string>() == "active")
            : 0;
    }
}
