using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Wallets;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The transfer path through the grains and the group-committed ledger.</summary>
public sealed class LedgerTests() : SiloTest("ledger")
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Payments:Wallets:DailySendLimit"] = "1000000",
    };

    [Fact]
    public async Task A_transfer_moves_money_records_history_with_balances_after_and_keeps_the_ledger_balanced()
    {
        var alice = await Client.RegisterAsync("alice_l1", deposit: 10_000);
        var bob = await Client.RegisterAsync("bob_l1");

        var response = await Client.SendAsync(alice, bob, 2_500, "t1", "dinner");
        Assert.Equal(201, response.Status);
        var receipt = GrainClient.Body<TransferReceipt>(response);
        Assert.Equal(7_500, receipt.Balance);
        Assert.Equal(alice, receipt.Transfer.From);
        Assert.Equal(bob, receipt.Transfer.To);
        Assert.Equal("dinner", receipt.Transfer.Note);

        Assert.Equal(new WalletView(7_500, 7_500, 0, "USD", "active"), await Client.WalletAsync(alice));
        Assert.Equal(new WalletView(2_500, 2_500, 0, "USD", "active"), await Client.WalletAsync(bob));

        var aliceHistory = await Client.HistoryAsync(alice);
        Assert.Equal([("transfer_out", -2_500L, 7_500L), ("deposit", 10_000L, 10_000L)], aliceHistory.Select(entry => (entry.Type, entry.Amount, entry.BalanceAfter)));
        Assert.Equal(bob, aliceHistory[0].Counterparty);
        var bobHistory = await Client.HistoryAsync(bob);
        Assert.Equal([("transfer_in", 2_500L, 2_500L)], bobHistory.Select(entry => (entry.Type, entry.Amount, entry.BalanceAfter)));
        Assert.Equal(receipt.Transfer.Id, bobHistory[0].Id);

        var audit = await Client.AuditAsync();
        Assert.True(audit.Balanced, JsonSerializer.Serialize(audit));
        Assert.Equal(0, audit.Currencies.Single().Sum);
        Assert.Equal(10_000, audit.Currencies.Single().WalletTotal);
    }

    [Fact]
    public async Task Refusals_change_nothing()
    {
        var carol = await Client.RegisterAsync("carol_l2", deposit: 1_000);
        var dave = await Client.RegisterAsync("dave_l2");

        Assert.Equal(422, (await Client.SendAsync(carol, dave, 1_001, "too-much")).Status);
        Assert.Contains("INSUFFICIENT_FUNDS", (await Client.SendAsync(carol, dave, 1_001, "too-much-2")).Body);
        Assert.Contains("INVALID_RECIPIENT", (await Client.SendAsync(carol, carol, 10, "self")).Body);
        Assert.Contains("INVALID_AMOUNT", (await Client.SendAsync(carol, dave, 500_001, "huge")).Body);
        Assert.Contains("RECIPIENT_NOT_FOUND", (await Client.SendAsync(carol, Guid.NewGuid().ToString(), 10, "nobody")).Body);
        Assert.Contains("INSUFFICIENT_FUNDS", (await Client.ExecuteAsync(new WithdrawalCommand(carol, 1_001), "withdraw-too-much")).Body);

        Assert.Equal(1_000, (await Client.WalletAsync(carol)).Balance);
        Assert.Equal(0, (await Client.WalletAsync(dave)).Balance);
        Assert.Single(await Client.HistoryAsync(carol));
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task Frozen_wallets_refuse_sends_and_withdrawals_but_accept_money()
    {
        var erin = await Client.RegisterAsync("erin_l3", deposit: 5_000);
        var frank = await Client.RegisterAsync("frank_l3", deposit: 5_000);
        var wallet = Silo.GrainFactory.GetGrain<IWalletGrain>(erin);
        Assert.Equal("frozen", (await wallet.SetFrozen(true)).Value!.Status);

        Assert.Contains("ACCOUNT_FROZEN", (await Client.SendAsync(erin, frank, 100, "frozen-send")).Body);
        Assert.Contains("ACCOUNT_FROZEN", (await Client.ExecuteAsync(new WithdrawalCommand(erin, 100), "frozen-withdraw")).Body);
        Assert.Equal(201, (await Client.SendAsync(frank, erin, 100, "to-frozen")).Status);
        Assert.Equal(201, (await Client.ExecuteAsync(new DepositCommand(erin, 100), "frozen-deposit")).Status);

        Assert.Equal("active", (await wallet.SetFrozen(false)).Value!.Status);
        Assert.Equal(201, (await Client.SendAsync(erin, frank, 100, "thawed-send")).Status);
        Assert.Equal(5_100, (await Client.WalletAsync(erin)).Balance);
    }

    [Fact]
    public async Task The_daily_send_limit_counts_committed_and_pending_sends_and_survives_a_restart()
    {
        var database = await TestPostgres.CreateDatabaseAsync("limit");
        var settings = new Dictionary<string, string?> { ["Payments:Wallets:DailySendLimit"] = "1000" };
        string gina, hank;
        await using (var strict = await InProcessSilo.StartAsync(database, settings))
        {
            var client = new GrainClient(strict.GrainFactory);
            gina = await client.RegisterAsync("gina_l4", deposit: 100_000);
            hank = await client.RegisterAsync("hank_l4");

            var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.SendAsync(gina, hank, 100, $"burst-{i}")));
            Assert.Equal(10, concurrent.Count(response => response.Status == 201));
            Assert.Equal(10, concurrent.Count(response => response.Body.Contains("DAILY_LIMIT_EXCEEDED", StringComparison.Ordinal)));
            Assert.Equal(1_000, (await client.WalletAsync(hank)).Balance);
        }

        // A new activation reads today's total from the wallet's row.
        await using var restarted = await InProcessSilo.StartAsync(database, settings);
        var again = new GrainClient(restarted.GrainFactory);
        Assert.Contains("DAILY_LIMIT_EXCEEDED", (await again.SendAsync(gina, hank, 1, "after-restart")).Body);
        Assert.Equal(201, (await again.SendAsync(hank, gina, 500, "the-receiver-may-send")).Status);
    }

    [Fact]
    public async Task Many_senders_paying_one_receiver_concurrently_add_up_exactly()
    {
        var receiver = await Client.RegisterAsync("hot_receiver");
        var senders = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Client.RegisterAsync($"hot_sender_{i}", deposit: 10_000)));

        var responses = await Task.WhenAll(senders.SelectMany(sender => Enumerable.Range(0, 5).Select(i =>
            Task.Run(() => Client.SendAsync(sender, receiver, 100 + i, $"hot-{i}")))));

        Assert.All(responses, response => Assert.Equal(201, response.Status));
        var expected = senders.Length * Enumerable.Range(0, 5).Sum(i => 100L + i);
        Assert.Equal(expected, (await Client.WalletAsync(receiver)).Balance);
        var history = await Client.HistoryAsync(receiver);
        Assert.Equal(senders.Length * 5, history.Count);
        Assert.Equal(expected, history.Sum(entry => entry.Amount));
        // Balances after are a strictly increasing running sum in commit order.
        Assert.Equal(history.Select(entry => entry.BalanceAfter).Reverse(), history.Select(entry => entry.BalanceAfter).Reverse().Order());
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task An_idempotency_key_gives_one_effect_and_the_same_answer()
    {
        var ivan = await Client.RegisterAsync("ivan_l6", deposit: 10_000);
        var judy = await Client.RegisterAsync("judy_l6");

        // Concurrent duplicates: the later ones wait for the first and get its response.
        var duplicates = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Client.SendAsync(ivan, judy, 700, "same-key"))));
        Assert.All(duplicates, response => Assert.Equal(duplicates[0], response));
        Assert.Equal(201, duplicates[0].Status);

        var reused = await Client.SendAsync(ivan, judy, 701, "same-key");
        Assert.Equal(422, reused.Status);
        Assert.Contains("IDEMPOTENCY_KEY_REUSED", reused.Body);

        Assert.Equal(9_300, (await Client.WalletAsync(ivan)).Balance);
        Assert.Single(await Client.HistoryAsync(judy));
    }

    [Fact]
    public async Task Expired_idempotency_records_are_deleted_and_live_ones_kept()
    {
        var olga = await Client.RegisterAsync("olga_l9", deposit: 5_000);
        var paul = await Client.RegisterAsync("paul_l9");
        Assert.Equal(201, (await Client.SendAsync(olga, paul, 100, "janitor-expired")).Status);
        Assert.Equal(201, (await Client.SendAsync(olga, paul, 200, "janitor-live")).Status);
        var data = Silo.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var expire = data.CreateCommand("UPDATE idempotency_records SET expires_at = now() - interval '1 minute' WHERE key = 'janitor-expired'"))
        {
            Assert.Equal(1, await expire.ExecuteNonQueryAsync());
        }

        // The silo's own janitor runs hourly; a round now (the hourly one does the same).
        Assert.True(await Silo.Services.GetRequiredService<IdempotencyRecordJanitor>().CleanAsync(CancellationToken.None) >= 1);

        await using var remaining = data.CreateCommand("SELECT key FROM idempotency_records WHERE key LIKE 'janitor-%'");
        await using var reader = await remaining.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        Assert.Equal(["janitor-live"], keys);
    }

    [Fact]
    public async Task A_retry_after_a_restart_returns_the_original_answer_from_the_database()
    {
        var database = await TestPostgres.CreateDatabaseAsync("restart");
        StoredResponse original;
        string kate, leo;
        await using (var first = await InProcessSilo.StartAsync(database))
        {
            var client = new GrainClient(first.GrainFactory);
            kate = await client.RegisterAsync("kate_l7", deposit: 5_000);
            leo = await client.RegisterAsync("leo_l7");
            original = await client.SendAsync(kate, leo, 1_234, "survives-restart");
            Assert.Equal(201, original.Status);
            Assert.Contains("INSUFFICIENT_FUNDS", (await client.SendAsync(kate, leo, 9_999, "refused-before-restart")).Body);
        }

        await using var second = await InProcessSilo.StartAsync(database);
        var again = new GrainClient(second.GrainFactory);
        Assert.Equal(original, await again.SendAsync(kate, leo, 1_234, "survives-restart"));
        Assert.Contains("IDEMPOTENCY_KEY_REUSED", (await again.SendAsync(kate, leo, 1, "survives-restart")).Body);
        // A refusal is an answer too, even though the wallet could now afford something else.
        Assert.Contains("INSUFFICIENT_FUNDS", (await again.SendAsync(kate, leo, 9_999, "refused-before-restart")).Body);
        Assert.Equal(5_000 - 1_234, (await again.WalletAsync(kate)).Balance);
        Assert.Single(await again.HistoryAsync(leo));
    }

    [Fact]
    public async Task Two_activations_of_one_wallet_cannot_overdraw_it()
    {
        var database = await TestPostgres.CreateDatabaseAsync("split");
        // Two clusters on one database: a split brain, where each side activates the wallet for itself.
        await using var first = await InProcessSilo.StartAsync(database, new Dictionary<string, string?> { ["Payments:Cluster:ClusterId"] = "split-a" });
        await using var second = await InProcessSilo.StartAsync(database, new Dictionary<string, string?> { ["Payments:Cluster:ClusterId"] = "split-b" });
        var one = new GrainClient(first.GrainFactory);
        var two = new GrainClient(second.GrainFactory);
        var mallory = await one.RegisterAsync("mallory_l8", deposit: 1_000);
        var nina = await one.RegisterAsync("nina_l8");

        // Both silos activate mallory's wallet and believe it holds 1,000; each tries to spend 700 ten times.
        await one.WalletAsync(mallory);
        await two.WalletAsync(mallory);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            Task.Run(() => one.SendAsync(mallory, nina, 700, $"one-{i}")),
            Task.Run(() => two.SendAsync(mallory, nina, 700, $"two-{i}")),
        }));

        Assert.Equal(1, attempts.Count(response => response.Status == 201));
        Assert.Equal(300, (await one.WalletAsync(mallory)).Balance);
        Assert.Equal(700, (await two.WalletAsync(nina)).Balance);
        Assert.True((await one.AuditAsync()).Balanced);
    }
}
