using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Payments.Grains.Interfaces.Errors;
using Orleans.Payments.Grains.Interfaces.Idempotency;

namespace Orleans.Payments.Grains.Ledger;

/// <summary>
/// Commits a batch of ledger entries in one database transaction:
/// lock the batch's accounts in key order (no deadlocks between concurrent batches or silos), apply the entries in
/// order against the locked balances (an entry that would overdraw a wallet is rejected, the rest go on), then write
/// account rows, transactions, postings with their balance after, transfers, idempotency records and outbox events.
/// If the database refuses the batch (a duplicate idempotency key, a constraint), each entry is retried alone so the
/// failing one is isolated and the others commit.
/// </summary>
public sealed partial class LedgerBatchCommitter(NpgsqlDataSource dataSource, IOptions<LedgerWriterOptions> options, TimeProvider time, ILogger<LedgerBatchCommitter> logger)
{
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
            var outcome = LedgerBatchOutcome.Empty;
            foreach (var entry in batch)
            {
                outcome = outcome.Concat(await CommitAloneAsync(entry).ConfigureAwait(false));
            }

            return outcome;
        }
        catch (PostgresException refused) when (IsDataRefusal(refused))
        {
            return await AnswerRefusalAsync(batch[0], refused).ConfigureAwait(false);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            var unavailable = Unavailable(error);
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
        catch (Exception error) when (error is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            entry.Completion.TrySetException(Unavailable(error));
            return LedgerBatchOutcome.Empty;
        }
    }

    private async Task<LedgerBatchOutcome> AnswerRefusalAsync(LedgerEntry entry, PostgresException refused)
    {
        if (refused.SqlState == PostgresErrorCodes.UniqueViolation && entry.Idempotency is { } stamp
            && await ReadIdempotencyRecordAsync(stamp).ConfigureAwait(false) is { } stored)
        {
            // The record may belong to a batch not yet flushed: the answer waits for the barrier like any other.
            return LedgerBatchOutcome.Answer(entry, new LedgerResult.Duplicate(stored.RequestHash, stored.Response));
        }

        if (refused.SqlState == PostgresErrorCodes.CheckViolation && refused.ConstraintName == "wallet_balance_not_negative")
        {
            // Only reachable if two activations of one wallet admitted debits at once: the row is the last defence.
            return LedgerBatchOutcome.Answer(entry, new LedgerResult.Rejected(new PaymentError(ErrorCodes.InsufficientFunds, "Insufficient funds.")));
        }

        LogRefused(logger, refused, entry.Id.ToString(), refused.SqlState);
        entry.Completion.TrySetException(refused);
        return LedgerBatchOutcome.Empty;
    }

    private async Task<LedgerBatchOutcome> CommitTogetherAsync(IReadOnlyList<LedgerEntry> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        var accounts = await LockAccountsAsync(connection, batch).ConfigureAwait(false);

        var accepted = new List<(LedgerEntry Entry, LedgerBalances Balances, StoredResponse? Response)>(batch.Count);
        var rejected = new List<(LedgerEntry Entry, PaymentError Error)>();
        foreach (var entry in batch)
        {
            if (Apply(entry, accounts) is { } error)
            {
                rejected.Add((entry, error));
            }
            else
            {
                accepted.Add((entry, default!, null));
            }
        }

        // Versions: each touched account moves up by one per batch.
        var versionAfter = accounts.Values.Where(account => account.Touched).ToDictionary(account => account.Id, account => account.Version + 1, StringComparer.Ordinal);
        for (var i = 0; i < accepted.Count; i++)
        {
            var entry = accepted[i].Entry;
            var balances = new LedgerBalances(entry.Postings.ToDictionary(posting => posting.AccountId, posting => accounts[posting.AccountId].AfterEntry[entry], StringComparer.Ordinal), versionAfter);
            accepted[i] = (entry, balances, entry.RenderResponse?.Invoke(balances));
        }

        if (accepted.Count > 0)
        {
            await WriteAsync(connection, accounts, accepted).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);

        var answers = new List<(LedgerEntry Entry, LedgerResult Result)>(batch.Count);
        answers.AddRange(rejected.Select(item => (item.Entry, (LedgerResult)new LedgerResult.Rejected(item.Error))));
        answers.AddRange(accepted.Select(item => (item.Entry, (LedgerResult)new LedgerResult.Committed(item.Balances, item.Response))));
        var touched = accounts.Values
            .Where(account => account.Touched && account.WalletOwner is not null)
            .Select(account => new TouchedWallet(account.WalletOwner!, account.Balance, account.Version + 1))
            .ToList();
        return new LedgerBatchOutcome(answers, touched);
    }

    /// <summary>Applies an entry to the locked balances, or says why it cannot be applied (then nothing changes).</summary>
    private static PaymentError? Apply(LedgerEntry entry, Dictionary<string, LockedAccount> accounts)
    {
        foreach (var posting in entry.Postings)
        {
            if (!accounts.TryGetValue(posting.AccountId, out var account))
            {
                return new PaymentError(posting.Amount > 0 ? ErrorCodes.RecipientNotFound : ErrorCodes.NotFound, "The account does not exist.");
            }

            if (!string.Equals(account.Currency, posting.Currency, StringComparison.Ordinal))
            {
                throw new LedgerInvariantException($"Transaction {entry.Id} posts {posting.Currency} to {posting.AccountId}, a {account.Currency} account.");
            }

            if (account.IsWallet && posting.Amount < 0 && checked(account.Balance - account.Held + posting.Amount) < 0)
            {
                return new PaymentError(ErrorCodes.InsufficientFunds, "Insufficient funds.");
            }
        }

        foreach (var posting in entry.Postings)
        {
            var account = accounts[posting.AccountId];
            account.Balance = checked(account.Balance + posting.Amount);
            account.Touched = true;
            account.WalletOwner ??= posting.WalletOwner;
            account.AfterEntry[entry] = account.Balance;
            Debug.Assert(!account.IsWallet || account.Balance >= 0, "A wallet balance never goes below zero.");
        }

        return null;
    }

    private static async Task<Dictionary<string, LockedAccount>> LockAccountsAsync(NpgsqlConnection connection, IReadOnlyList<LedgerEntry> batch)
    {
        var ids = batch.SelectMany(entry => entry.Postings).Select(posting => posting.AccountId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var command = new NpgsqlCommand(
            // ORDER BY id makes every batch lock rows in the same order. COLLATE "C" matches the ordinal sort above.
            "SELECT id, kind, currency, balance, held, version FROM accounts WHERE id = ANY($1) ORDER BY id COLLATE \"C\" FOR UPDATE", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        var accounts = new Dictionary<string, LockedAccount>(ids.Length, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var account = new LockedAccount(reader.GetString(0), reader.GetString(1) == "wallet", reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
            accounts[account.Id] = account;
        }

        return accounts;
    }

    private async Task WriteAsync(NpgsqlConnection connection, Dictionary<string, LockedAccount> accounts, List<(LedgerEntry Entry, LedgerBalances Balances, StoredResponse? Response)> accepted)
    {
        var touched = accounts.Values.Where(account => account.Touched).ToArray();
        var postings = accepted.SelectMany(item => item.Entry.Postings.Select(posting => (item.Entry, Posting: posting))).ToArray();
        var transfers = accepted.Where(item => item.Entry.Transfer is not null).Select(item => item.Entry).ToArray();
        var records = accepted.Where(item => item.Entry.Idempotency is not null).ToArray();
        var events = accepted.SelectMany(item => item.Entry.Events).ToArray();
        var expiresAt = time.GetUtcNow().UtcDateTime + _options.IdempotencyRetention;

        await using var batch = new NpgsqlBatch(connection);
        // Early lock release: the writer answers nothing before WalFlushBarrier has flushed past this commit.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO off"));
        batch.BatchCommands.Add(Command(
            // The ANY predicate lets the planner fetch only these rows; without it, with the array's real length known,
            // it hashes the whole accounts table for a few hundred rows.
            "UPDATE accounts AS a SET balance = u.balance, version = a.version + 1 FROM unnest($1::text[], $2::bigint[]) AS u(id, balance) WHERE a.id = u.id AND a.id = ANY($1)",
            Array(touched.Select(account => account.Id)),
            Array(touched.Select(account => account.Balance))));
        batch.BatchCommands.Add(Command(
            "INSERT INTO ledger_transactions (id, type, created_at) SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])",
            Array(accepted.Select(item => item.Entry.Id.Value)),
            Array(accepted.Select(item => item.Entry.Type)),
            Array(accepted.Select(item => item.Entry.CreatedAt.UtcDateTime))));
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO postings (transaction_id, account_id, amount, currency, balance_after, counterparty, created_at)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])
            """,
            Array(postings.Select(item => item.Entry.Id.Value)),
            Array(postings.Select(item => item.Posting.AccountId)),
            Array(postings.Select(item => item.Posting.Amount)),
            Array(postings.Select(item => item.Posting.Currency)),
            Array(postings.Select(item => accounts[item.Posting.AccountId].AfterEntry[item.Entry])),
            Array(postings.Select(item => item.Posting.Counterparty)),
            Array(postings.Select(item => item.Entry.CreatedAt.UtcDateTime))));
        if (transfers.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO transfers (id, from_user, to_user, amount, currency, note, visibility, status, created_at)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
                """,
                Array(transfers.Select(entry => entry.Id.Value)),
                Array(transfers.Select(entry => entry.Transfer!.FromUser)),
                Array(transfers.Select(entry => entry.Transfer!.ToUser)),
                Array(transfers.Select(entry => entry.Transfer!.Amount)),
                Array(transfers.Select(entry => entry.Transfer!.Currency)),
                Array(transfers.Select(entry => entry.Transfer!.Note)),
                Array(transfers.Select(entry => entry.Transfer!.Visibility)),
                Array(transfers.Select(entry => entry.Transfer!.Status)),
                Array(transfers.Select(entry => entry.CreatedAt.UtcDateTime))));
        }

        if (records.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO idempotency_records (scope, key, request_hash, status, body, expires_at)
                SELECT s, k, h, st, b, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS r(s, k, h, st, b)
                """,
                Array(records.Select(item => item.Entry.Idempotency!.Scope)),
                Array(records.Select(item => item.Entry.Idempotency!.Key)),
                Array(records.Select(item => item.Entry.Idempotency!.RequestHash)),
                Array(records.Select(item => item.Response!.Status)),
                Array(records.Select(item => item.Response!.Body)),
                new NpgsqlParameter<DateTime> { TypedValue = expiresAt }));
        }

        if (events.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                """
                INSERT INTO outbox_events (event_id, stream_namespace, stream_key, type, payload)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
                """,
                Array(events.Select(item => item.EventId)),
                Array(events.Select(item => item.StreamNamespace)),
                Array(events.Select(item => item.StreamKey)),
                Array(events.Select(item => item.Type)),
                new NpgsqlParameter<string[]> { TypedValue = events.Select(item => item.PayloadJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb }));
        }

        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task<(string RequestHash, StoredResponse Response)?> ReadIdempotencyRecordAsync(IdempotencyStamp stamp)
    {
        await using var command = dataSource.CreateCommand("SELECT request_hash, status, body FROM idempotency_records WHERE scope = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.Scope });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.Key });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false)
            ? (reader.GetString(0), new StoredResponse(reader.GetInt32(1), reader.GetString(2)))
            : null;
    }

    private static LedgerUnavailableException Unavailable(Exception error) =>
        new("The ledger database failed during a commit; the outcome is unknown until it is read back.", error);

    private static bool IsDataRefusal(PostgresException error) =>
        error.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.ForeignKeyViolation;

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T[]> Array<T>(IEnumerable<T> values) => new() { TypedValue = values.ToArray() };

    /// <summary>An account row locked for the batch, with its running balance as entries apply.</summary>
    private sealed class LockedAccount(string id, bool isWallet, string currency, long balance, long held, long version)
    {
        public string Id { get; } = id;
        public bool IsWallet { get; } = isWallet;
        public string Currency { get; } = currency;
        public long Balance { get; set; } = balance;
        public long Held { get; } = held;
        public long Version { get; } = version;
        public bool Touched { get; set; }
        public string? WalletOwner { get; set; }
        public Dictionary<LedgerEntry, long> AfterEntry { get; } = [];
    }

    [LoggerMessage(1, LogLevel.Warning, "The database refused a batch of {Count} entries ({SqlState} on {Constraint}); committing them one by one")]
    private static partial void LogIsolating(ILogger logger, int count, string sqlState, string? constraint);

    [LoggerMessage(2, LogLevel.Error, "The database refused ledger entry {TransactionId} ({SqlState})")]
    private static partial void LogRefused(ILogger logger, Exception error, string transactionId, string sqlState);
}
