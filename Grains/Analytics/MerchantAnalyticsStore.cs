using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces.Analytics;
using Payments.Infrastructure.Streams;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Grains.Analytics;

/// <summary>The hourly buckets of <c>merchant_payment_hours</c> and the consumer's cursor per merchant.</summary>
public sealed class MerchantAnalyticsStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Adds the changes of events after the merchant's cursor to their buckets and moves the cursor past them, in one
    /// transaction: a redelivered event, at or before the cursor, changes nothing.
    /// </summary>
    public async Task ApplyAsync(string merchantId, IReadOnlyList<(OutboxPosition Position, BucketChange Change)> changes)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        OutboxPosition? cursor = null;
        await using (var read = new NpgsqlCommand(
            "SELECT transaction_id, position FROM merchant_analytics_cursors WHERE merchant_id = $1 FOR UPDATE", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
            await using var reader = await read.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                cursor = new OutboxPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
            }
        }

        var fresh = changes.Where(change => cursor is null || change.Position > cursor.Value).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var buckets = fresh.GroupBy(change => (change.Change.Currency, change.Change.Hour)).Select(group => (
            group.Key.Currency, group.Key.Hour,
            Payments: group.Sum(change => change.Change.Payments), Succeeded: group.Sum(change => change.Change.Succeeded),
            Declined: group.Sum(change => change.Change.Declined), Refunds: group.Sum(change => change.Change.Refunds),
            Volume: group.Sum(change => change.Change.Volume), Refunded: group.Sum(change => change.Change.RefundedAmount))).ToArray();
        var last = fresh[^1].Position;
        await using var write = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command(
                    """
                    INSERT INTO merchant_payment_hours AS h (merchant_id, currency, hour, payments, succeeded, declined, refunds, volume, refunded_amount)
                    SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bigint[], $9::bigint[])
                    ON CONFLICT (merchant_id, currency, hour) DO UPDATE SET
                        payments = h.payments + excluded.payments, succeeded = h.succeeded + excluded.succeeded, declined = h.declined + excluded.declined,
                        refunds = h.refunds + excluded.refunds, volume = h.volume + excluded.volume, refunded_amount = h.refunded_amount + excluded.refunded_amount
                    """,
                    new NpgsqlParameter<string> { TypedValue = merchantId },
                    new NpgsqlParameter<string[]> { TypedValue = [.. buckets.Select(bucket => bucket.Currency)] },
                    new NpgsqlParameter<DateTime[]> { TypedValue = [.. buckets.Select(bucket => bucket.Hour.UtcDateTime)] },
                    new NpgsqlParameter<int[]> { TypedValue = [.. buckets.Select(bucket => bucket.Payments)] },
                    new NpgsqlParameter<int[]> { TypedValue = [.. buckets.Select(bucket => bucket.Succeeded)] },
                    new NpgsqlParameter<int[]> { TypedValue = [.. buckets.Select(bucket => bucket.Declined)] },
                    new NpgsqlParameter<int[]> { TypedValue = [.. buckets.Select(bucket => bucket.Refunds)] },
                    new NpgsqlParameter<long[]> { TypedValue = [.. buckets.Select(bucket => bucket.Volume)] },
                    new NpgsqlParameter<long[]> { TypedValue = [.. buckets.Select(bucket => bucket.Refunded)] }),
                Command(
                    """
                    INSERT INTO merchant_analytics_cursors (merchant_id, transaction_id, position) VALUES ($1, $2, $3)
                    ON CONFLICT (merchant_id) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position
                    """,
                    new NpgsqlParameter<string> { TypedValue = merchantId },
                    new NpgsqlParameter<ulong> { TypedValue = last.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 },
                    new NpgsqlParameter<long> { TypedValue = last.Position }),
            },
        };
        await write.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The merchant's buckets from <paramref name="from"/> to <paramref name="to"/>, regrouped by <paramref name="interval"/> in <paramref name="timezone"/>.</summary>
    public async Task<List<AnalyticsInterval>> SummaryAsync(string merchantId, DateTimeOffset from, DateTimeOffset to, string interval, string timezone)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT date_trunc($4, hour AT TIME ZONE $5) AT TIME ZONE $5 AS start, currency,
                   sum(payments)::bigint, sum(succeeded)::bigint, sum(declined)::bigint, sum(refunds)::bigint, sum(volume)::bigint, sum(refunded_amount)::bigint
            FROM merchant_payment_hours
            WHERE merchant_id = $1 AND hour >= $2 AND hour < $3
            GROUP BY 1, 2 ORDER BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = interval });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = timezone });
        var intervals = new List<AnalyticsInterval>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (payments, succeeded, declined, refunds, volume, refunded) =
                (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
            intervals.Add(new AnalyticsInterval(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1).Trim(), payments, succeeded, declined, refunds, volume, refunded,
                Rate(refunds, succeeded), Rate(declined, payments), succeeded == 0 ? 0 : (volume + succeeded / 2) / succeeded));
        }

        return intervals;
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}

/// <summary>What one payment change adds to its hour's bucket.</summary>
public sealed record BucketChange(string Currency, DateTimeOffset Hour, int Payments, int Succeeded, int Declined, int Refunds, long Volume, long RefundedAmount);
