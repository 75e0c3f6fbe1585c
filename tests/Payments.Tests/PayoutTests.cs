using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Grains.Banking;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Cash-out reaches the bank after the withdrawal commits: once, also when the bank fails for a while or the silo
/// stops with the payout still owed.
/// </summary>
public sealed class PayoutTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_withdrawal_is_paid_out_once_at_the_bank()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("payout"));
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var (userId, token) = await api.SignUpAsync("payout_quinn", deposit: 1_000);

        var withdrawal = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount = 300 }, "cash-out-1");
        Assert.Equal(HttpStatusCode.Created, withdrawal.Status);
        var transactionId = withdrawal.Json["transactionId"]!.GetValue<string>();
        var again = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount = 300 }, "cash-out-1");
        Assert.Equal(withdrawal.Body, again.Body);

        var payout = await WaitForPayoutAsync(silo, transactionId, "paid");
        Assert.Equal((userId, 300L, 1), (payout.UserId, payout.Amount, payout.Attempts));
        var bank = silo.Services.GetRequiredService<SimulatedBankGateway>();
        Assert.Equal((userId, 300L), bank.PaidOut[transactionId]);
        Assert.Single(bank.PaidOut);
        Assert.Equal(700, (await api.WalletAsync(token))["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_payout_the_bank_fails_stays_owed_and_is_paid_once_when_the_bank_recovers()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("payoutretry"), new Dictionary<string, string?>
        {
            // Each payout call is one attempt here, so the first three calls (the stream delivery, then two reminder
            // rounds) fail and the fourth pays.
            ["Payments:Bank:FailFirstPayouts"] = "3",
            ["Payments:Bank:Resilience:MaxRetries"] = "0",
            // Long enough that the payout is still owed when the operator's report is read on a loaded machine.
            ["Payments:Payouts:RetryInterval"] = "00:00:03",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var (userId, token) = await api.SignUpAsync("payout_rosa", deposit: 1_000);

        var withdrawal = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount = 450 }, "cash-out-2");
        Assert.Equal(HttpStatusCode.Created, withdrawal.Status); // The bank's trouble is not the user's: the money left the wallet.
        var transactionId = withdrawal.Json["transactionId"]!.GetValue<string>();

        var owed = await WaitForPayoutAsync(silo, transactionId, "pending", payout => payout.Attempts >= 1);
        Assert.Contains("failure injection", owed.LastError);
        var report = await api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending?limit=10", InProcessSilo.AdminToken);
        Assert.Equal(HttpStatusCode.OK, report.Status);
        var listed = Assert.Single(report.Json["oldest"]!.AsArray())!;
        Assert.Equal((transactionId, userId, 450L), (listed["transactionId"]!.GetValue<string>(), listed["userId"]!.GetValue<string>(), listed["amount"]!.GetValue<long>()));
        Assert.True(listed["attempts"]!.GetValue<int>() >= 1);
        Assert.Equal(450, report.Json["totals"]![0]!["amount"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending", token)).Status);
        Assert.Equal("limit", (await api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending?limit=0", InProcessSilo.AdminToken)).Json["field"]!.GetValue<string>());

        var paid = await WaitForPayoutAsync(silo, transactionId, "paid");
        Assert.Equal(4, paid.Attempts);
        var settled = await api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending", InProcessSilo.AdminToken);
        Assert.Equal(0, settled.Json["count"]!.GetValue<long>());
        Assert.Empty(settled.Json["oldest"]!.AsArray());
        var bank = silo.Services.GetRequiredService<SimulatedBankGateway>();
        Assert.Equal((userId, 450L), bank.PaidOut[transactionId]);
        Assert.Single(bank.PaidOut);
        Assert.Equal(550, (await api.WalletAsync(token))["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_payout_still_owed_when_the_silo_stops_is_paid_after_the_restart()
    {
        var database = await TestPostgres.CreateDatabaseAsync("payoutrestart");
        string transactionId, userId;
        await using (var failing = await InProcessSilo.StartAsync(database, new Dictionary<string, string?>
        {
            ["Payments:Bank:FailFirstPayouts"] = "1000",
            ["Payments:Bank:Resilience:MaxRetries"] = "0",
            ["Payments:Payouts:RetryInterval"] = "00:00:01",
        }))
        {
            using var http = failing.CreateClient();
            var api = new ApiClient(http);
            (userId, var token) = await api.SignUpAsync("payout_sam", deposit: 1_000);
            var withdrawal = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount = 125 }, "cash-out-3");
            Assert.Equal(HttpStatusCode.Created, withdrawal.Status);
            transactionId = withdrawal.Json["transactionId"]!.GetValue<string>();
            await WaitForPayoutAsync(failing, transactionId, "pending", payout => payout.Attempts >= 1);
        }

        await using var restarted = await InProcessSilo.StartAsync(database, new Dictionary<string, string?>
        {
            ["Payments:Payouts:RetryInterval"] = "00:00:01",
        });
        var paid = await WaitForPayoutAsync(restarted, transactionId, "paid");
        Assert.Equal(userId, paid.UserId);
        Assert.Equal((userId, 125L), restarted.Services.GetRequiredService<SimulatedBankGateway>().PaidOut[transactionId]);
    }

    [Fact]
    public async Task A_withdrawal_is_listed_as_owed_from_its_own_commit_even_if_its_event_is_never_delivered()
    {
        // No stream delivery: the payout grain never hears of the withdrawal. The row must exist anyway.
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("payoutrow"), new Dictionary<string, string?>
        {
            ["Payments:Streams:Deliver"] = "false",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var (userId, token) = await api.SignUpAsync("payout_uma", deposit: 1_000);

        var withdrawal = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount = 275 }, "cash-out-4");
        Assert.Equal(HttpStatusCode.Created, withdrawal.Status);
        var transactionId = withdrawal.Json["transactionId"]!.GetValue<string>();

        var owed = await WaitForPayoutAsync(silo, transactionId, "pending");
        Assert.Equal((userId, 275L, 0), (owed.UserId, owed.Amount, owed.Attempts));
        var report = await api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending", InProcessSilo.AdminToken);
        Assert.Equal(transactionId, report.Json["oldest"]![0]!["transactionId"]!.GetValue<string>());
        Assert.Empty(silo.Services.GetRequiredService<SimulatedBankGateway>().PaidOut);
    }

    private sealed record PayoutRow(string UserId, long Amount, string Status, int Attempts, string? LastError);

    private static async Task<PayoutRow> WaitForPayoutAsync(InProcessSilo silo, string transactionId, string status, Func<PayoutRow, bool>? also = null)
    {
        var data = silo.Services.GetRequiredService<NpgsqlDataSource>();
        var stopwatch = Stopwatch.StartNew();
        PayoutRow? row = null;
        while (stopwatch.Elapsed < s_within)
        {
            await using var command = data.CreateCommand("SELECT user_id, amount, status, attempts, last_error FROM payouts WHERE transaction_id = $1");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(transactionId) });
            await using (var reader = await command.ExecuteReaderAsync())
            {
                row = await reader.ReadAsync()
                    ? new PayoutRow(reader.GetGuid(0).ToString(), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4))
                    : null;
            }

            if (row is not null && row.Status == status && (also is null || also(row)))
            {
                return row;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"Payout {transactionId} did not become {status} within {s_within}; last seen: {row}");
    }
}
