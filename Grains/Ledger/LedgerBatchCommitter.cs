using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Payouts;
using Payments.Grains.Wallets;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Streams;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Ledger;

/// <summary>
/// Commits a batch of ledger entries in one database transaction:
/// lock the batch's accounts in key order (no deadlocks between concurrent batches or silos), apply the entries in
/// order against the locked balances (an entry that would overdraw a wallet is rejected, the rest go on), then write
/// account rows, ledger rows with both balances after, idempotency records and outbox events.
/// If the database refuses the batch (a duplicate idempotency key, a constraint), each entry is retried alone so the
/// failing one is isolated and the others commit.
/// </summary>
public sealed partial class LedgerBatchCommitter(
    [FromKeyedServices(LedgerBatchCommitter.DataSourceKey)] NpgsqlDataSource dataSource,
    IOptions<LedgerWriterOptions> options,
    IOptions<WalletOptions> walletOptions,
    LedgerSiloFence fence,
    TimeProvider time,
    ILogger<LedgerBatchCommitter> logger)
{
    /// <summary>The committers' pool (see <see cref="PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>).</summary>
    public const string DataSourceKey = "ledger";

    private readonly LedgerWriterOptions _options = options.Value;

    /// <summary>
    /// Commits the batch. Entries whose outcome is unknown (the database failed) are failed at once; the others' answers
    /// are returned, to be handed out once the batch is durable (see <see cref="WalFlushBarrier"/>).
    /// </summary>
    public async Task<LedgerBatchOutcome> CommitAsync(IReadOnlyList<LedgerEntry> batch)
    {
        try
        {
            return await CommitTogetherAsync(batch).ConfigureAwait(false);
        }
        catch (PostgresException refused) when (IsDataRefusal(refused) && batch.Count > 1)
        {
            LogIsolating(logger, batch.Count, refused.SqlState, refused.ConstraintName);
            var outcomes = new List<LedgerBatchOutcome>(batch.Count);
            foreach (var entry in batch)
            {
                outcomes.Add(await CommitAloneAsync(entry).ConfigureAwait(false));
            }

            return LedgerBatchOutcome.Combine(outcomes);
        }
        catch (PostgresException refused) when (IsDataRefusal(refused))
        {
            return await AnswerRefusalAsync(batch[0], refused).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or OperationCanceledException or LedgerUnavailableException)
        {
            var unavailable = error as LedgerUnavailableException ?? Unavailable(error);
            foreach (var entry in batch)
            {
                entry.Completion.TrySetException(unavailable);
            }

            return LedgerBatchOutcome.Empty;
        }
    }

    private async Task<LedgerBatchOutcome> CommitAloneAsync(LedgerEntry entry)
    {
        try
        {
            return await CommitTogetherAsync([entry]).ConfigureAwait(false);
        }
        catch (PostgresException refused) when (IsDataRefusal(refused))
        {
            return await AnswerRefusalAsync(entry, refused).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or OperationCanceledException or LedgerUnavailableException)
        {
            entry.Completion.TrySetException(error as LedgerUnavailableException ?? Unavailable(error));
            return LedgerBatchOutcome.Empty;
        }
    }

    private async Task<LedgerBatchOutcome> AnswerRefusalAsync(LedgerEntry entry, PostgresException refused)
    {
        if (refused.SqlState == PostgresErrorCodes.UniqueViolation && entry.Idempotency is { } stamp
            && await IdempotencyRecordStore.ReadAsync(dataSource, stamp).ConfigureAwait(false) is { } stored)
        {
            // The record may belong to a batch not yet flushed: the answer waits for the barrier like any other.
            return LedgerBatchOutcome.Answer(entry, new LedgerResult.Duplicate(stored.RequestHash, stored.Response));
        }

        if (refused.SqlState == PostgresErrorCodes.UniqueViolation && refused.ConstraintName == FundingPullRecord.UniqueConstraint)
        {
            // A pull credited before, by a request whose idempotency record has been deleted since (or by the first
            // attempt of a refused send): its source answered the repeated key without moving money again.
            return LedgerBatchOutcome.Answer(entry, new LedgerResult.Rejected(new PaymentError(
                ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key's request was completed before (its record has expired); send a new key to do it again.", "Idempotency-Key")));
        }

        if (refused.SqlState == PostgresErrorCodes.CheckViolation && refused.ConstraintName == "wallet_balance_not_negative")
        {
            // Only reachable if two activations of one wallet admitted debits at once: the row is the last defence.
            return LedgerBatchOutcome.Answer(entry, new LedgerResult.Rejected(new PaymentError(ErrorCodes.InsufficientFunds, "Insufficient funds.")));
        }

        LogRefused(logger, refused, entry.Id.ToString(), refused.SqlState);
        if (IsDataException(refused))
        {
            // A value PostgreSQL cannot store (input validation should have caught it): this entry is refused, as the
            // same request would be every time; the rest of its batch was committed without it.
            return LedgerBatchOutcome.Answer(entry, new LedgerResult.Rejected(new PaymentError(ErrorCodes.ValidationError, "The payment holds a value that cannot be stored.")));
        }

        entry.Completion.TrySetException(refused);
        return LedgerBatchOutcome.Empty;
    }

    private async Task<LedgerBatchOutcome> CommitTogetherAsync(IReadOnlyList<LedgerEntry> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var holds = new LockedHolds();
        var accounts = await LockAccountsAsync(connection, batch, holds, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)).ConfigureAwait(false);
        var now = time.GetUtcNow();

        var answers = new List<(LedgerEntry Entry, LedgerResult Result)>(batch.Count);
        var accepted = new List<(LedgerEntry Entry, Dictionary<string, long> BalanceAfter)>(batch.Count);
        var rows = new List<EntryRow>(batch.Count);
        foreach (var entry in batch)
        {
            if (Check(entry, accounts, holds) is { } error)
            {
                answers.Add((entry, new LedgerResult.Rejected(error)));
            }
            else
            {
                accepted.Add((entry, Apply(entry, accounts, rows, holds.Apply(entry, now))));
            }
        }

        // Versions: each touched account moves up by one per batch.
        var touchedAccounts = accounts.Values.Where(account => account.Touched).ToArray();
        var rowAfterBatch = touchedAccounts.ToDictionary(account => account.Id, account => (account.Balance, account.Held, account.Version + 1), StringComparer.Ordinal);
        var responses = new StoredResponse?[accepted.Count];
        for (var i = 0; i < accepted.Count; i++)
        {
            var (entry, balanceAfter) = accepted[i];
            var balances = new LedgerBalances(balanceAfter, rowAfterBatch);
            responses[i] = entry.RenderResponse?.Invoke(balances);
            answers.Add((entry, new LedgerResult.Committed(balances, responses[i])));
        }

        if (accepted.Count > 0)
        {
            await WriteAndCommitAsync(connection, touchedAccounts, rows, holds, accepted.Select(item => item.Entry).ToArray(), responses).ConfigureAwait(false);
        }
        else
        {
            await transaction.CommitAsync().ConfigureAwait(false);
        }

        // A wallet whose own entry committed learns its row from the answer; the others are told after the flush.
        var answered = accepted.Select(item => item.Entry.AnsweredWallet).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var touchedWallets = new List<TouchedWallet>(touchedAccounts.Length);
        foreach (var account in touchedAccounts)
        {
            if (LedgerAccounts.WalletOwner(account.Id) is { } owner && !answered.Contains(owner))
            {
                touchedWallets.Add(new TouchedWallet(owner, account.Balance, account.Held, account.Version + 1));
            }
        }

        return new LedgerBatchOutcome(answers, touchedWallets);
    }

    /// <summary>Says why an entry cannot be applied to the locked rows, or null if it can (nothing changes here).</summary>
    private PaymentError? Check(LedgerEntry entry, Dictionary<string, LockedAccount> accounts, LockedHolds holds)
    {
        foreach (var accountId in LockedHolds.AccountsOf(entry))
        {
            if (!accounts.ContainsKey(accountId))
            {
                return new PaymentError(ErrorCodes.NotFound, "The account does not exist.");
            }
        }

        var heldDelta = new Dictionary<string, long>(StringComparer.Ordinal);
        if (entry.Holds.Count > 0 && holds.Check(entry, heldDelta) is { } refused)
        {
            return refused;
        }

        foreach (var movement in entry.Movements)
        {
            if (!accounts.TryGetValue(movement.DebitAccountId, out var debit))
            {
                return new PaymentError(ErrorCodes.NotFound, "The account does not exist.");
            }

            if (!accounts.TryGetValue(movement.CreditAccountId, out var credit))
            {
                return new PaymentError(ErrorCodes.RecipientNotFound, "The account does not exist.");
            }

            if (!string.Equals(debit.Currency, movement.Currency, StringComparison.Ordinal) || !string.Equals(credit.Currency, movement.Currency, StringComparison.Ordinal))
            {
                throw new LedgerInvariantException($"Transaction {entry.Id} moves {movement.Currency} between {debit.Id} ({debit.Currency}) and {credit.Id} ({credit.Currency}).");
            }
        }

        // An entry may debit one account in several legs: check each wallet's net change, not leg by leg. The wallet
        // rules are checked here too, against the row: a grain's cached status or daily total may be stale, or a
        // second activation of the wallet may have admitted its own debits.
        var dailyLimit = walletOptions.Value.DailySendLimit;
        foreach (var (accountId, delta) in heldDelta)
        {
            var held = accounts[accountId];
            if (held.IsWallet && delta > 0 && (held.Frozen || checked(held.Balance - held.Held - delta + NetChange(entry, accountId)) < 0))
            {
                return held.Frozen ? WalletRefusals.Frozen() : new PaymentError(ErrorCodes.InsufficientFunds, "Insufficient funds.", "amount");
            }
        }

        foreach (var movement in entry.Movements)
        {
            var debit = accounts[movement.DebitAccountId];
            if (!debit.IsWallet)
            {
                continue;
            }

            if (debit.Frozen)
            {
                return WalletRefusals.Frozen();
            }

            if (entry.Type == LedgerEntryTypes.Transfer && checked(debit.SentToday + debit.SentInBatch + movement.Amount) > dailyLimit)
            {
                return WalletRefusals.DailyLimitExceeded(dailyLimit, debit.SentToday + debit.SentInBatch);
            }

            if (checked(debit.Balance - debit.Held - heldDelta.GetValueOrDefault(debit.Id) + NetChange(entry, debit.Id)) < 0)
            {
                return new PaymentError(ErrorCodes.InsufficientFunds, "Insufficient funds.");
            }
        }

        return null;
    }

    private static long NetChange(LedgerEntry entry, string accountId)
    {
        long net = 0;
        foreach (var movement in entry.Movements)
        {
            if (string.Equals(movement.DebitAccountId, accountId, StringComparison.Ordinal))
            {
                net = checked(net - movement.Amount);
            }
            else if (string.Equals(movement.CreditAccountId, accountId, StringComparison.Ordinal))
            {
                net = checked(net + movement.Amount);
            }
        }

        return net;
    }

    /// <summary>Moves the locked balances and held amounts by a checked entry, adds its rows, and returns each account's balance after it.</summary>
    private static Dictionary<string, long> Apply(LedgerEntry entry, Dictionary<string, LockedAccount> accounts, List<EntryRow> rows, Dictionary<string, long> heldDelta)
    {
        var balanceAfter = new Dictionary<string, long>(2 * entry.Movements.Count, StringComparer.Ordinal);
        foreach (var (accountId, delta) in heldDelta)
        {
            var account = accounts[accountId];
            account.Held = checked(account.Held + delta);
            account.Touched = true;
            balanceAfter[accountId] = account.Balance;
        }

        for (var leg = 0; leg < entry.Movements.Count; leg++)
        {
            var movement = entry.Movements[leg];
            var debit = accounts[movement.DebitAccountId];
            var credit = accounts[movement.CreditAccountId];
            debit.Balance = checked(debit.Balance - movement.Amount);
            credit.Balance = checked(credit.Balance + movement.Amount);
            debit.Touched = credit.Touched = true;
            if (entry.Type == LedgerEntryTypes.Transfer)
            {
                debit.SentInBatch = checked(debit.SentInBatch + movement.Amount);
            }

            balanceAfter[debit.Id] = debit.Balance;
            balanceAfter[credit.Id] = credit.Balance;
            rows.Add(new EntryRow(entry, (short)leg, movement, debit.Balance, credit.Balance));
        }

        foreach (var accountId in balanceAfter.Keys)
        {
            var account = accounts[accountId];
            Debug.Assert(account.Held >= 0, "Held amounts are sums of pending holds.");
            Debug.Assert(!account.IsWallet || account.Balance >= account.Held, "A checked entry never takes a wallet below its holds.");
        }

        return balanceAfter;
    }

    /// <summary>Checks the silo is still a live member (<see cref="LedgerSiloFence"/>) and locks the batch's accounts, in one round trip.</summary>
    private async Task<Dictionary<string, LockedAccount>> LockAccountsAsync(NpgsqlConnection connection, IReadOnlyList<LedgerEntry> batch, LockedHolds holds, DateOnly today)
    {
        var ids = batch.SelectMany(entry => entry.Movements).SelectMany(movement => new[] { movement.DebitAccountId, movement.CreditAccountId })
            .Concat(batch.SelectMany(LockedHolds.AccountsOf))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var holdIds = LockedHolds.IdsOf(batch);
        await using var statements = new NpgsqlBatch(connection);
        statements.BatchCommands.Add(fence.StatusCommand());
        statements.BatchCommands.Add(Command(
            // One index probe and lock per id, in the array's (sorted) order, so every batch on every silo locks rows in
            // the same order and none deadlock. A plain "id = ANY($1) ... FOR UPDATE" lets the planner scan the whole
            // table while the table is small, and its lock order is then the scan's.
            """
            SELECT a.id, a.kind, a.currency, a.balance, a.held, a.version, a.status = 'frozen',
                   CASE WHEN a.sent_on = $2 THEN a.sent_that_day ELSE 0 END
            FROM unnest($1::text[]) WITH ORDINALITY AS u(id, position)
            CROSS JOIN LATERAL (SELECT * FROM accounts WHERE accounts.id = u.id FOR UPDATE) AS a
            ORDER BY u.position
            """,
            new NpgsqlParameter<string[]> { TypedValue = ids },
            new NpgsqlParameter<DateOnly> { TypedValue = today }));
        if (holdIds.Length > 0)
        {
            statements.BatchCommands.Add(LockedHolds.LockCommand(holdIds));
        }

        var accounts = new Dictionary<string, LockedAccount>(ids.Length, StringComparer.Ordinal);
        await using var reader = await statements.ExecuteReaderAsync().ConfigureAwait(false);
        fence.EnsureLive(await reader.ReadAsync().ConfigureAwait(false) ? reader.GetInt32(0) : null);
        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var account = new LockedAccount(reader.GetString(0), reader.GetString(1) == "wallet", reader.GetString(2).TrimEnd(), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5))
            {
                Frozen = reader.GetBoolean(6),
                SentToday = reader.GetInt64(7),
            };
            accounts[account.Id] = account;
        }

        if (holdIds.Length > 0)
        {
            await reader.NextResultAsync().ConfigureAwait(false);
            await holds.ReadAsync(reader).ConfigureAwait(false);
        }

        return accounts;
    }

    /// <summary>
    /// Writes the batch and commits it in the same round trip: the batch holds its accounts' locks until the COMMIT, and
    /// a separate COMMIT cost one more wake-up of PostgreSQL and of this process while every other batch waited. Npgsql
    /// follows the server's transaction status, so the transaction object counts as completed afterwards (its disposal
    /// rolls back only a transaction still open, as after a failed statement).
    /// </summary>
    private async Task WriteAndCommitAsync(NpgsqlConnection connection, LockedAccount[] touched, List<EntryRow> rows, LockedHolds holds, LedgerEntry[] accepted, StoredResponse?[] responses)
    {
        var now = time.GetUtcNow();
        var expiresAt = now.UtcDateTime + _options.IdempotencyRetention;
        var recorded = Enumerable.Range(0, accepted.Length).Where(i => accepted[i].Idempotency is not null).ToArray();
        var events = accepted.SelectMany(entry => entry.Events).ToArray();

        await using var batch = new NpgsqlBatch(connection);
        // Early lock release: the writer answers nothing before WalFlushBarrier has flushed past this commit.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO off"));
        batch.BatchCommands.Add(Command(
            // The ANY predicate lets the planner fetch only these rows; without it, with the array's real length known,
            // it hashes the whole accounts table for a few hundred rows. Sends count toward the UTC day of the commit.
            """
            UPDATE accounts AS a SET balance = u.balance, held = u.held, version = a.version + 1,
                sent_that_day = CASE WHEN u.sent = 0 THEN a.sent_that_day WHEN a.sent_on = $4 THEN a.sent_that_day + u.sent ELSE u.sent END,
                sent_on = CASE WHEN u.sent = 0 THEN a.sent_on ELSE $4 END
            FROM unnest($1::text[], $2::bigint[], $3::bigint[], $5::bigint[]) AS u(id, balance, sent, held)
            WHERE a.id = u.id AND a.id = ANY($1)
            """,
            ArrayOf(touched.Select(account => account.Id)),
            ArrayOf(touched.Select(account => account.Balance)),
            ArrayOf(touched.Select(account => account.SentInBatch)),
            new NpgsqlParameter<DateOnly> { TypedValue = DateOnly.FromDateTime(now.UtcDateTime) },
            ArrayOf(touched.Select(account => account.Held))));
        if (rows.Count > 0)
        {
            batch.BatchCommands.Add(EntryRowsCommand(rows));
        }

        foreach (var command in holds.WriteCommands(now))
        {
            batch.BatchCommands.Add(command);
        }

        foreach (var sameType in accepted.Where(entry => entry.Record is not null).Select(entry => entry.Record!).GroupBy(record => record.GetType()))
        {
            var records = sameType.ToArray();
            foreach (var command in records[0].WriteCommands(records))
            {
                batch.BatchCommands.Add(command);
            }
        }

        if (recorded.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO idempotency_records (scope, key, request_hash, status, body, expires_at)
                SELECT s, k, h, st, b, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS r(s, k, h, st, b)
                """,
                ArrayOf(recorded.Select(i => accepted[i].Idempotency!.Scope)),
                ArrayOf(recorded.Select(i => accepted[i].Idempotency!.Key)),
                ArrayOf(recorded.Select(i => accepted[i].Idempotency!.RequestHash)),
                ArrayOf(recorded.Select(i => responses[i]!.Status)),
                ArrayOf(recorded.Select(i => responses[i]!.Body)),
                new NpgsqlParameter<DateTime> { TypedValue = expiresAt }));
        }

        if (events.Length > 0)
        {
            batch.BatchCommands.Add(StreamOutbox.AppendCommand(events));
        }

        var payouts = accepted.Where(entry => entry.Payout is not null).Select(entry => entry.Payout!).ToArray();
        if (payouts.Length > 0)
        {
            batch.BatchCommands.Add(PayoutStore.RecordCommand(payouts));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static NpgsqlBatchCommand EntryRowsCommand(List<EntryRow> rows) =>
        Command(
            """
            INSERT INTO ledger_entries (transaction_id, leg, type, debit_account_id, credit_account_id, amount, currency,
                                        debit_balance_after, credit_balance_after, note, visibility, created_at, reference)
            SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                                 $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::timestamptz[], $13::text[])
            """,
            ArrayOf(rows.Select(row => row.Entry.Id.Value)),
            ArrayOf(rows.Select(row => row.Leg)),
            ArrayOf(rows.Select(row => row.Entry.Type)),
            ArrayOf(rows.Select(row => row.Movement.DebitAccountId)),
            ArrayOf(rows.Select(row => row.Movement.CreditAccountId)),
            ArrayOf(rows.Select(row => row.Movement.Amount)),
            ArrayOf(rows.Select(row => row.Movement.Currency)),
            ArrayOf(rows.Select(row => row.DebitBalanceAfter)),
            ArrayOf(rows.Select(row => row.CreditBalanceAfter)),
            ArrayOf(rows.Select(row => row.Entry.Remark?.Note)),
            ArrayOf(rows.Select(row => row.Entry.Remark?.Visibility)),
            ArrayOf(rows.Select(row => row.Entry.CreatedAt.UtcDateTime)),
            ArrayOf(rows.Select(row => row.Entry.Reference)));

    private static LedgerUnavailableException Unavailable(Exception error) =>
        new("The ledger database failed during a commit; the outcome is unknown until it is read back.", error);

    private static bool IsDataRefusal(PostgresException error) =>
        error.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation
            // One statement writing two entries' records for the same row (two activations of one payment in a batch).
            or PostgresErrorCodes.CardinalityViolation
        || IsDataException(error);

    // SQLSTATE class 22, "data exception": a value of the statement (text with U+0000, a number out of range) is
    // invalid, whatever the database's state, so retrying cannot help; one entry's value is the cause.
    private static bool IsDataException(PostgresException error) => error.SqlState.StartsWith("22", StringComparison.Ordinal);

    /// <summary>An account row locked for the batch, with its running balance as entries apply.</summary>
    private sealed class LockedAccount(string id, bool isWallet, string currency, long balance, long held, long version)
    {
        public string Id { get; } = id;
        public bool IsWallet { get; } = isWallet;
        public string Currency { get; } = currency;
        public long Balance { get; set; } = balance;
        public long Held { get; set; } = held;
        public long Version { get; } = version;
        public bool Touched { get; set; }

        /// <summary>A frozen wallet is not debited (sends and withdrawals); money may still come in.</summary>
        public bool Frozen { get; init; }

        /// <summary>Transfers this account had sent today (UTC) when it was locked.</summary>
        public long SentToday { get; init; }

        /// <summary>Transfers this account sent in the batch, for its daily total.</summary>
        public long SentInBatch { get; set; }
    }

    /// <summary>A row of <c>ledger_entries</c>: one leg of an entry with both balances after it.</summary>
    private sealed record EntryRow(LedgerEntry Entry, short Leg, LedgerMovement Movement, long DebitBalanceAfter, long CreditBalanceAfter);

    [LoggerMessage(1, LogLevel.Warning, "The database refused a batch of {Count} entries ({SqlState} on {Constraint}); committing them one by one")]
    private static partial void LogIsolating(ILogger logger, int count, string sqlState, string? constraint);

    [LoggerMessage(2, LogLevel.Error, "The database refused ledger entry {TransactionId} ({SqlState})")]
    private static partial void LogRefused(ILogger logger, Exception error, string transactionId, string sqlState);
}
