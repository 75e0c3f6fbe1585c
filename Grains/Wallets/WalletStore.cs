using Npgsql;
using Orleans.Payments.Grains.Interfaces.Identity;
using Orleans.Payments.Grains.Interfaces.Transfers;
using Orleans.Payments.Grains.Interfaces.Wallets;

namespace Orleans.Payments.Grains.Wallets;

/// <summary>A wallet's row and what is derived from it, read in one statement (one snapshot).</summary>
public sealed record WalletSnapshot(long Balance, long Held, long Version, string Status, long SentSince);

/// <summary>The SQL a wallet grain runs outside the ledger writer: reads, history, status changes.</summary>
public sealed class WalletStore(NpgsqlDataSource dataSource)
{
    /// <summary>The wallet row and the sum of transfers sent since <paramref name="since"/>; null if the wallet does not exist.</summary>
    public async Task<WalletSnapshot?> LoadAsync(string accountId, UserId user, DateTimeOffset since)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT a.balance, a.held, a.version, a.status,
                   coalesce((SELECT sum(t.amount) FROM transfers t WHERE t.from_user = $2 AND t.created_at >= $3), 0)::bigint
            FROM accounts a WHERE a.id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = since.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new WalletSnapshot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4))
            : null;
    }

    public async Task SetStatusAsync(string accountId, string status)
    {
        await using var command = dataSource.CreateCommand("UPDATE accounts SET status = $2 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Newest first. <paramref name="startingAfter"/> is a transaction id of this account; null when it is not one
    /// (the caller answers 400), otherwise the page.
    /// </summary>
    public async Task<HistoryPage?> HistoryAsync(string accountId, int limit, TransactionId? startingAfter)
    {
        long? beforePosting = null;
        if (startingAfter is { } cursor)
        {
            await using var find = dataSource.CreateCommand("SELECT id FROM postings WHERE account_id = $1 AND transaction_id = $2");
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
            find.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = cursor.Value });
            if (await find.ExecuteScalarAsync() is not long postingId)
            {
                return null;
            }

            beforePosting = postingId;
        }

        await using var command = dataSource.CreateCommand(
            """
            SELECT p.transaction_id, t.type, p.amount, p.balance_after, p.counterparty, p.created_at
            FROM postings p JOIN ledger_transactions t ON t.id = p.transaction_id
            WHERE p.account_id = $1 AND ($2::bigint IS NULL OR p.id < $2)
            ORDER BY p.id DESC
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)beforePosting ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var entries = new List<HistoryEntry>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var amount = reader.GetInt64(2);
            var type = reader.GetString(1) switch
            {
                "transfer" => amount < 0 ? HistoryTypes.TransferOut : HistoryTypes.TransferIn,
                var other => other,
            };
            entries.Add(new HistoryEntry(
                reader.GetGuid(0).ToString("D"), type, amount, reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        var hasMore = entries.Count > limit;
        return new HistoryPage(hasMore ? entries.GetRange(0, limit) : entries, hasMore);
    }

    /// <summary>The transfer if <paramref name="party"/> sent or received it.</summary>
    public async Task<TransferView?> GetTransferAsync(TransactionId id, UserId party)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, from_user, to_user, amount, currency, note, visibility, status, created_at
            FROM transfers WHERE id = $1 AND (from_user = $2 OR to_user = $2)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = party.Value });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new TransferView(
                reader.GetGuid(0).ToString("D"), reader.GetGuid(1).ToString("D"), reader.GetGuid(2).ToString("D"),
                reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8))
            : null;
    }
}
