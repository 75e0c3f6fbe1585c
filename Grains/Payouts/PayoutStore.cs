using Npgsql;
using Payments.Grains.Interfaces.Payouts;

namespace Payments.Grains.Payouts;

/// <summary>The <c>payouts</c> table: what is owed to users' banks and what the bank has confirmed.</summary>
public sealed class PayoutStore(NpgsqlDataSource dataSource)
{
    /// <summary>Most unpaid payouts of one user sent to the bank in one round; the rest wait for the next.</summary>
    public const int MaxPerRound = 100;

    /// <summary>
    /// Records payouts as owed, as a statement of the withdrawal's own ledger transaction; a payout already recorded
    /// is left as it is.
    /// </summary>
    public static NpgsqlBatchCommand RecordCommand(IReadOnlyList<PayoutRequest> requests)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO payouts (transaction_id, user_id, amount, currency, status, requested_at, card_id)
            SELECT t, u, a, c, 'pending', r, k FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[]) AS p(t, u, a, c, r, k)
            ON CONFLICT (transaction_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. requests.Select(request => Guid.Parse(request.TransactionId))] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. requests.Select(request => Guid.Parse(request.UserId))] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. requests.Select(request => request.Amount)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. requests.Select(request => request.Currency)] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. requests.Select(request => request.RequestedAt.UtcDateTime)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. requests.Select(request => request.CardId)] });
        return command;
    }

    /// <summary>
    /// Records payouts as owed on their own (see <see cref="RecordCommand"/>): for events whose withdrawal committed
    /// before payout rows moved into the withdrawal's transaction.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<PayoutRequest> requests)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { RecordCommand(requests) } };
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The user's unpaid payouts, oldest first (at most <see cref="MaxPerRound"/>).</summary>
    public async Task<IReadOnlyList<PayoutRequest>> PendingAsync(string userId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT transaction_id, amount, currency, requested_at, card_id FROM payouts
            WHERE user_id = $1 AND status = 'pending' ORDER BY requested_at LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(userId) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxPerRound });
        var pending = new List<PayoutRequest>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pending.Add(new PayoutRequest(
                reader.GetGuid(0).ToString(), userId, reader.GetInt64(1), reader.GetString(2).TrimEnd(), reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return pending;
    }

    /// <summary>Every unpaid payout counted and summed per currency, and the <paramref name="limit"/> oldest, for operators.</summary>
    public async Task<PendingPayouts> PendingReportAsync(int limit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT currency, count(*), sum(amount)::bigint FROM payouts WHERE status = 'pending' GROUP BY currency ORDER BY currency"));
        var oldest = new NpgsqlBatchCommand(
            """
            SELECT transaction_id, user_id, amount, currency, attempts, last_error, requested_at FROM payouts
            WHERE status = 'pending' ORDER BY requested_at LIMIT $1
            """);
        oldest.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        batch.BatchCommands.Add(oldest);

        var totals = new List<PendingPayoutTotal>();
        var payouts = new List<PendingPayout>();
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            totals.Add(new PendingPayoutTotal(reader.GetString(0).TrimEnd(), reader.GetInt64(1), reader.GetInt64(2)));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            payouts.Add(new PendingPayout(
                reader.GetGuid(0).ToString(), reader.GetGuid(1).ToString(), reader.GetInt64(2), reader.GetString(3).TrimEnd(),
                reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return new PendingPayouts(totals.Sum(total => total.Count), totals, payouts);
    }

    public async Task MarkPaidAsync(string transactionId)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE payouts SET status = 'paid', paid_at = now(), attempts = attempts + 1 WHERE transaction_id = $1 AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(transactionId) });
        await command.ExecuteNonQueryAsync();
    }

    public async Task MarkFailedAsync(string transactionId, string error)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE payouts SET attempts = attempts + 1, last_error = $2 WHERE transaction_id = $1 AND status = 'pending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(transactionId) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        await command.ExecuteNonQueryAsync();
    }
}
