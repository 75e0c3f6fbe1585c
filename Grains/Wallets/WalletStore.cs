using Npgsql;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Wallets;
using Payments.Grains.Ledger;

namespace Payments.Grains.Wallets;

/// <summary>
/// A wallet's row: balance, holds, version, status and the transfers it sent today (UTC); and its user's default
/// visibility, which the wallet applies to sends that name none.
/// </summary>
public sealed record WalletSnapshot(long Balance, long Held, long Version, string Status, long SentToday, string DefaultVisibility);

/// <summary>The SQL a wallet grain runs outside the ledger writer: reads, history, status changes.</summary>
public sealed class WalletStore(NpgsqlDataSource dataSource)
{
    /// <summary>The wallet row, with what it sent on <paramref name="today"/>; null if the wallet does not exist.</summary>
    public async Task<WalletSnapshot?> LoadAsync(string accountId, DateOnly today)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT a.balance, a.held, a.version, a.status, CASE WHEN a.sent_on = $2 THEN a.sent_that_day ELSE 0 END, u.default_visibility
            FROM accounts a JOIN users u ON u.id = a.user_id WHERE a.id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = today });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new WalletSnapshot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4), reader.GetString(5))
            : null;
    }

    /// <summary>The user's default visibility (the users row holds it; the wallet grain is its one writer).</summary>
    public async Task SetDefaultVisibilityAsync(UserId user, string visibility)
    {
        await using var command = dataSource.CreateCommand("UPDATE users SET default_visibility = $2 WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = visibility });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An operator freezes or unfreezes the wallet: the status and its audit record, in one statement.</summary>
    public async Task SetStatusAsync(string accountId, string userId, string oldStatus, string status)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH changed AS (UPDATE accounts SET status = $2 WHERE id = $1 RETURNING id)
            INSERT INTO audit_log (merchant_id, actor, action, resource_type, resource_id, old_value, new_value, created_at)
            SELECT NULL, 'operator', $3, 'wallet', $4, jsonb_build_object('status', $5::text), jsonb_build_object('status', $2::text), now() FROM changed
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status == WalletStatus.Frozen ? "wallet.frozen" : "wallet.unfrozen" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = oldStatus });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Newest first, in commit order. <paramref name="startingAfter"/> is a transaction id of this account; null when
    /// it is not one (the caller answers 400), otherwise the page.
    /// </summary>
    public async Task<HistoryPage?> HistoryAsync(string accountId, int limit, TransactionId? startingAfter)
    {
        long? before = null;
        if (startingAfter is { } cursor)
        {
            await using var find = dataSource.CreateCommand(
                "SELECT min(sequence) FROM ledger_entries WHERE transaction_id = $2 AND (debit_account_id = $1 OR credit_account_id = $1)");
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
            find.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = cursor.Value });
            if (await find.ExecuteScalarAsync() is not long sequence)
            {
                return null;
            }

            before = sequence;
        }

        // Each side reads its own index newest first and stops at the page size; the union is cut to the page.
        await using var command = dataSource.CreateCommand(
            """
            SELECT history.transaction_id, history.type, history.amount, history.balance_after, history.other_account_id,
                   history.created_at, history.reference, orders.id
            FROM (
                (SELECT sequence, transaction_id, type, -amount AS amount, debit_balance_after AS balance_after,
                        credit_account_id AS other_account_id, created_at, reference
                 FROM ledger_entries WHERE debit_account_id = $1 AND sequence < $2 ORDER BY sequence DESC LIMIT $3)
                UNION ALL
                (SELECT sequence, transaction_id, type, amount, credit_balance_after, debit_account_id, created_at, reference
                 FROM ledger_entries WHERE credit_account_id = $1 AND sequence < $2 ORDER BY sequence DESC LIMIT $3)
            ) history
            LEFT JOIN orders ON orders.payment_id = history.reference
            ORDER BY history.sequence DESC LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = accountId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var entries = new List<HistoryEntry>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var amount = reader.GetInt64(2);
            var type = reader.GetString(1) switch
            {
                LedgerEntryTypes.Transfer => amount < 0 ? HistoryTypes.TransferOut : HistoryTypes.TransferIn,
                var other => other,
            };
            entries.Add(new HistoryEntry(
                reader.GetGuid(0).ToString("D"), type, amount, reader.GetInt64(3),
                LedgerAccounts.Counterparty(reader.GetString(4)),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        var hasMore = entries.Count > limit;
        return new HistoryPage(hasMore ? entries.GetRange(0, limit) : entries, hasMore);
    }

    /// <summary>The transfer if the wallet <paramref name="partyAccountId"/> sent or received it.</summary>
    public async Task<TransferView?> GetTransferAsync(TransactionId id, string partyAccountId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT transaction_id, debit_account_id, credit_account_id, amount, currency, note, visibility, created_at
            FROM ledger_entries
            WHERE transaction_id = $1 AND type = 'transfer' AND (debit_account_id = $2 OR credit_account_id = $2)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partyAccountId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var from = LedgerAccounts.WalletOwner(reader.GetString(1));
        var to = LedgerAccounts.WalletOwner(reader.GetString(2));
        if (from is null || to is null)
        {
            throw new LedgerInvariantException($"Transfer {id} is not between two wallets.");
        }

        return new TransferView(
            reader.GetGuid(0).ToString("D"), from, to, reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
            TransferStatus.Completed, reader.GetFieldValue<DateTimeOffset>(7));
    }
}
