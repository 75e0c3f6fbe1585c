using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Ledger;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// One batch with entries that cannot all commit, given straight to the committer (as a split brain or a race could
/// hand it): each entry is judged at its place in the batch, the refused ones change nothing and the rest commit.
/// </summary>
public sealed class LedgerBatchTests() : SiloTest("ledger-batch")
{
    [Fact]
    public async Task An_entry_that_overdraws_before_a_later_credit_is_refused_though_the_batch_nets_out_positive()
    {
        var (alice, bob, carol) = await ThreeWalletsAsync("a1", aliceFunds: 100, carolFunds: 100);

        // Net over the batch alice ends at 50, but at the first entry she has only 100 to send 150.
        LedgerEntry[] batch = [Transfer(alice, bob, 150), Transfer(carol, alice, 100)];
        var results = await CommitAsync(batch);

        Assert.Equal(ErrorCodes.InsufficientFunds, Assert.IsType<LedgerResult.Rejected>(results[0]).Error.Code);
        Assert.Equal(200, Assert.IsType<LedgerResult.Committed>(results[1]).Balances.BalanceAfter(alice));
        Assert.Equal((200, 0, 0), (await BalanceAsync(alice), await BalanceAsync(bob), await BalanceAsync(carol)));
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task A_batch_that_would_end_below_zero_commits_every_entry_that_fits_in_order()
    {
        var (alice, bob, carol) = await ThreeWalletsAsync("a2", aliceFunds: 100, carolFunds: 100);

        // In order: alice cannot send 150 of 100; carol's 100 arrives; now she can; then 100 of the 50 left she cannot.
        LedgerEntry[] batch = [Transfer(alice, bob, 150), Transfer(carol, alice, 100), Transfer(alice, bob, 150), Transfer(alice, carol, 100)];
        var results = await CommitAsync(batch);

        Assert.Equal(
            [typeof(LedgerResult.Rejected), typeof(LedgerResult.Committed), typeof(LedgerResult.Committed), typeof(LedgerResult.Rejected)],
            results.Select(result => result.GetType()));
        Assert.Equal(50, ((LedgerResult.Committed)results[2]).Balances.BalanceAfter(alice));

        // Each answer shows its own balance after; the row after the batch (what a cache must take) is the same for all.
        var carolsCredit = ((LedgerResult.Committed)results[1]).Balances;
        Assert.Equal(200, carolsCredit.BalanceAfter(alice));
        Assert.Equal(50, carolsCredit.RowAfterBatch(alice).Balance);
        Assert.Equal(carolsCredit.RowAfterBatch(alice), ((LedgerResult.Committed)results[2]).Balances.RowAfterBatch(alice));
        Assert.Equal((50, 150, 0), (await BalanceAsync(alice), await BalanceAsync(bob), await BalanceAsync(carol)));
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task An_entry_with_a_value_the_database_cannot_store_is_refused_alone_and_the_rest_of_its_batch_commits()
    {
        var (alice, bob, carol) = await ThreeWalletsAsync("a3", aliceFunds: 100, carolFunds: 100);

        // PostgreSQL text cannot hold U+0000: the insert fails for the whole batch, which is then split.
        LedgerEntry[] batch = [Transfer(alice, bob, 10), Transfer(carol, bob, 20, note: "bad\0note"), Transfer(alice, carol, 30)];
        var results = await CommitAsync(batch);

        Assert.IsType<LedgerResult.Committed>(results[0]);
        Assert.Equal(ErrorCodes.ValidationError, Assert.IsType<LedgerResult.Rejected>(results[1]).Error.Code);
        Assert.IsType<LedgerResult.Committed>(results[2]);
        Assert.Equal((60, 10, 130), (await BalanceAsync(alice), await BalanceAsync(bob), await BalanceAsync(carol)));
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task A_frozen_row_refuses_debits_whatever_the_grain_believes_and_still_takes_credits()
    {
        var (alice, bob, carol) = await ThreeWalletsAsync("a4", aliceFunds: 100, carolFunds: 100);

        // The row is frozen behind the wallet grains' backs (as a stale cache or a second activation would leave it).
        await ExecuteAsync("UPDATE accounts SET status = 'frozen' WHERE id = $1", alice);
        LedgerEntry[] batch = [Transfer(alice, bob, 10), Transfer(carol, alice, 20), Withdrawal(alice, 5)];
        var results = await CommitAsync(batch);

        Assert.Equal(ErrorCodes.AccountFrozen, Assert.IsType<LedgerResult.Rejected>(results[0]).Error.Code);
        Assert.IsType<LedgerResult.Committed>(results[1]);
        Assert.Equal(ErrorCodes.AccountFrozen, Assert.IsType<LedgerResult.Rejected>(results[2]).Error.Code);
        Assert.Equal((120, 0, 80), (await BalanceAsync(alice), await BalanceAsync(bob), await BalanceAsync(carol)));
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task The_daily_send_limit_is_enforced_on_the_row_counting_earlier_sends_today_and_the_batch()
    {
        var (alice, bob, _) = await ThreeWalletsAsync("a5", aliceFunds: 1_000, carolFunds: 0);

        // Another activation (or a restart) already sent all but 30 today; the default limit is 1,000,000.
        await ExecuteAsync("UPDATE accounts SET sent_on = (now() AT TIME ZONE 'UTC')::date, sent_that_day = 999970 WHERE id = $1", alice);
        LedgerEntry[] batch = [Transfer(alice, bob, 20), Transfer(alice, bob, 20), Transfer(alice, bob, 10)];
        var results = await CommitAsync(batch);

        Assert.IsType<LedgerResult.Committed>(results[0]);
        Assert.Equal(ErrorCodes.DailyLimitExceeded, Assert.IsType<LedgerResult.Rejected>(results[1]).Error.Code);
        Assert.IsType<LedgerResult.Committed>(results[2]);
        Assert.Equal((970, 30), (await BalanceAsync(alice), await BalanceAsync(bob)));
        Assert.True((await Client.AuditAsync()).Balanced);
    }

    [Fact]
    public async Task A_silo_the_cluster_declared_dead_commits_nothing()
    {
        var (alice, bob, _) = await ThreeWalletsAsync("a6", aliceFunds: 100, carolFunds: 0);
        var local = Silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var clusterId = Silo.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;

        // The same silo one generation later: this incarnation's row, as a woken silo finds after being replaced, is
        // not a live member. (Marking this silo's own row dead would make Orleans stop the test process.)
        var replaced = SiloAddress.New(local.Endpoint, local.Generation + 1);
        var fenced = ActivatorUtilities.CreateInstance<LedgerBatchCommitter>(Silo.Services, new LedgerSiloFence(clusterId, replaced));
        LedgerEntry[] batch = [Transfer(alice, bob, 40), Transfer(alice, bob, 10)];
        var outcome = await fenced.CommitAsync(batch);

        Assert.Empty(outcome.Answers);
        foreach (var entry in batch)
        {
            await Assert.ThrowsAsync<LedgerUnavailableException>(() => entry.Completion.Task);
        }

        Assert.Equal((100, 0), (await BalanceAsync(alice), await BalanceAsync(bob)));

        // The live silo's own committer goes on.
        Assert.IsType<LedgerResult.Committed>((await CommitAsync([Transfer(alice, bob, 40)]))[0]);
        Assert.Equal((60, 40), (await BalanceAsync(alice), await BalanceAsync(bob)));
    }

    [Fact]
    public async Task Records_of_one_type_are_written_together_for_the_accepted_entries_only_in_batch_order()
    {
        var (alice, bob, carol) = await ThreeWalletsAsync("a7", aliceFunds: 100, carolFunds: 100);
        await using (var create = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("CREATE TABLE ledger_batch_test_records (label text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        // The second entry overdraws: its record is not written, and the others of its type are written in one call.
        LedgerEntry[] batch =
        [
            Transfer(alice, bob, 10, record: new LabelRecord("first")),
            Transfer(bob, carol, 500, record: new LabelRecord("refused")),
            Transfer(carol, alice, 10, record: new OtherLabelRecord("other")),
            Transfer(alice, carol, 10, record: new LabelRecord("third")),
        ];
        var results = await CommitAsync(batch);

        Assert.Equal(
            [typeof(LedgerResult.Committed), typeof(LedgerResult.Rejected), typeof(LedgerResult.Committed), typeof(LedgerResult.Committed)],
            results.Select(result => result.GetType()));
        await using var read = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT string_agg(label, ',' ORDER BY label) FROM ledger_batch_test_records");
        Assert.Equal("first of 2 (1/2),other of 1 (1/1),third of 2 (2/2)", await read.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Wallets_are_told_of_a_batch_unless_their_own_committed_entry_answers_them()
    {
        var (alice, bob, carol) = await ThreeWalletsAsync("a8", aliceFunds: 100, carolFunds: 100);
        var (aliceUser, bobUser, carolUser) = (LedgerAccounts.WalletOwner(alice)!, LedgerAccounts.WalletOwner(bob)!, LedgerAccounts.WalletOwner(carol)!);

        // Alice's entry commits and answers her; carol's is refused (she must hear of the batch from the writer); bob submitted nothing.
        var sent = new LedgerEntry(TransactionId.New(), LedgerEntryTypes.Transfer, DateTimeOffset.UtcNow, [new LedgerMovement(alice, bob, 10, "USD")], new TransferRemark("", "public"), null, null, [])
        {
            AnsweredWallet = aliceUser,
        };
        var refused = new LedgerEntry(TransactionId.New(), LedgerEntryTypes.Transfer, DateTimeOffset.UtcNow, [new LedgerMovement(carol, alice, 500, "USD")], new TransferRemark("", "public"), null, null, [])
        {
            AnsweredWallet = carolUser,
        };
        var outcome = await Silo.Services.GetRequiredService<LedgerBatchCommitter>().CommitAsync([sent, refused, Transfer(carol, alice, 5)]);

        Assert.Equal(new[] { bobUser, carolUser }.Order(StringComparer.Ordinal), outcome.Touched.Select(wallet => wallet.UserId).Order(StringComparer.Ordinal));
        Assert.Equal((90 + 5, 10, 95), (await BalanceAsync(alice), await BalanceAsync(bob), await BalanceAsync(carol)));
        Assert.Equal(95, outcome.Touched.Single(wallet => wallet.UserId == carolUser).Balance);
    }

    private async Task ExecuteAsync(string sql, string account)
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<(string Alice, string Bob, string Carol)> ThreeWalletsAsync(string suffix, long aliceFunds, long carolFunds)
    {
        var alice = await Client.RegisterAsync($"alice_{suffix}", aliceFunds);
        var bob = await Client.RegisterAsync($"bob_{suffix}");
        var carol = await Client.RegisterAsync($"carol_{suffix}", carolFunds);
        return (Account(alice), Account(bob), Account(carol));
    }

    /// <summary>Each entry's result, in batch order.</summary>
    private async Task<LedgerResult[]> CommitAsync(LedgerEntry[] batch)
    {
        var outcome = await Silo.Services.GetRequiredService<LedgerBatchCommitter>().CommitAsync(batch);
        Assert.Equal(batch.Length, outcome.Answers.Count);
        return [.. batch.Select(entry => outcome.Answers.Single(answer => answer.Entry == entry).Result)];
    }

    private async Task<long> BalanceAsync(string account)
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT balance FROM accounts WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Account(string userId) => LedgerAccounts.Wallet(new UserId(Guid.Parse(userId)), "USD");

    private static LedgerEntry Transfer(string from, string to, long amount, string note = "", ILedgerRecord? record = null) =>
        new(TransactionId.New(), LedgerEntryTypes.Transfer, DateTimeOffset.UtcNow, [new LedgerMovement(from, to, amount, "USD")], new TransferRemark(note, "public"), null, null, [], record: record);

    /// <summary>Writes each record with the size of the group it was written in and its place there.</summary>
    private static IEnumerable<NpgsqlBatchCommand> LabelCommands(IReadOnlyList<string> labels)
    {
        var command = new NpgsqlBatchCommand("INSERT INTO ledger_batch_test_records SELECT unnest($1::text[])");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. labels.Select((label, i) => $"{label} of {labels.Count} ({i + 1}/{labels.Count})")] });
        yield return command;
    }

    private sealed record LabelRecord(string Label) : ILedgerRecord
    {
        public IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType) => LabelCommands([.. sameType.Cast<LabelRecord>().Select(record => record.Label)]);
    }

    private sealed record OtherLabelRecord(string Label) : ILedgerRecord
    {
        public IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType) => LabelCommands([.. sameType.Cast<OtherLabelRecord>().Select(record => record.Label)]);
    }

    private static LedgerEntry Withdrawal(string from, long amount) =>
        new(TransactionId.New(), LedgerEntryTypes.Withdrawal, DateTimeOffset.UtcNow, [new LedgerMovement(from, LedgerAccounts.Bank("USD"), amount, "USD")], null, null, null, []);
}
