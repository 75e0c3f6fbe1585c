using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Payments.Infrastructure.Postgres;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// The receivers' view of the outbox: reads a partition in delivery order, and keeps each partition's checkpoint
/// (the provider is one consumer, <see cref="CheckpointConsumer"/>, whatever grains subscribe).
/// </summary>
internal sealed class OutboxLog([FromKeyedServices(OutboxLog.DataSourceKey)] NpgsqlDataSource dataSource, WalFlushBarrier flushBarrier)
{
    /// <summary>The receivers' pool (see <see cref="PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>).</summary>
    public const string DataSourceKey = "outbox-streams";

    /// <summary>The <c>stream_checkpoints.consumer</c> of the provider's checkpoints.</summary>
    public const string CheckpointConsumer = "outbox";

    /// <summary>How many rows past its cursor one read of a partition looks at, per event it may return.</summary>
    public const int ScanFactor = 4;

    // Only rows whose transaction is older than every transaction still open are read: every row that becomes
    // visible later has a transaction id at or above that horizon, so it sorts after everything read now and a
    // checkpoint never passes it. The horizon is computed once per statement in a sub-select: pg_current_snapshot()
    // is volatile, so written inline it is evaluated per row and cannot bound the index scan.
    // The partition is not indexed (its count is configuration), so a read walks the rows of every partition. It
    // walks a bounded run of them and also returns the last row it walked (frontier = 1): a partition whose streams
    // are quiet moves past the others' rows instead of walking them again on every poll from its old cursor.
    private static readonly string ReadSql =
        $"""
        WITH scanned AS MATERIALIZED (
            SELECT transaction_id, position, event_id, stream_namespace, stream_key, type, payload, created_at,
                   {OutboxPartition.Sql(null, "$3")} = $4 AS mine
            FROM outbox_events
            WHERE (transaction_id, position) > ($1, $2)
              AND transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
            ORDER BY transaction_id, position
            LIMIT $6)
        SELECT * FROM (
            (SELECT 0 AS frontier, transaction_id, position, event_id, stream_namespace, stream_key, type, payload, created_at
             FROM scanned WHERE mine ORDER BY transaction_id, position LIMIT $5)
            UNION ALL
            (SELECT 1, transaction_id, position, NULL, NULL, NULL, NULL, NULL, NULL
             FROM scanned ORDER BY transaction_id DESC, position DESC LIMIT 1)) AS page
        ORDER BY frontier, transaction_id, position
        """;

    /// <summary>
    /// The partition's next events after <paramref name="after"/>, at most <paramref name="limit"/>, once they are
    /// durable: producers commit without waiting for the disk (early lock release) and answer their callers only after
    /// a flush, and consumers must not act on an event before that either (a "payment received" for a payment a crash
    /// could still undo). One flush covers every event read; the connection goes back to the pool before the wait.
    /// </summary>
    public async Task<OutboxRead> ReadAsync(int partition, int partitions, OutboxPosition after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var read = await ReadCommittedAsync(partition, partitions, after, limit, cancellationToken).ConfigureAwait(false);
        if (read.Events.Count > 0)
        {
            await flushBarrier.WaitForFlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    private async Task<OutboxRead> ReadCommittedAsync(int partition, int partitions, OutboxPosition after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(TransactionId(after.TransactionId));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Position });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partitions });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit * ScanFactor });
        var events = new List<StreamEvent>();
        var next = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var position = new OutboxPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2));
            if (reader.GetInt32(0) == 1)
            {
                // The walk's end. Past it only when the page of events is not full: a full page may stop before it.
                next = events.Count < limit ? position : events[^1].Position;
                break;
            }

            events.Add(new StreamEvent(
                reader.GetGuid(3),
                StreamId.Create(reader.GetString(4), reader.GetString(5)),
                reader.GetString(6),
                reader.GetFieldValue<JsonElement>(7),
                position,
                reader.GetFieldValue<DateTimeOffset>(8)));
        }

        Debug.Assert(events.Count == 0 || next >= events[^1].Position, "A read never ends before the events it returns.");
        return new OutboxRead(events, next);
    }

    /// <summary>Where the partition's delivery resumes: its checkpoint, or before the first event if it has none.</summary>
    public async Task<OutboxPosition> LoadCheckpointAsync(int partition, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT transaction_id, position FROM stream_checkpoints WHERE consumer = $1 AND partition = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CheckpointConsumer });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new OutboxPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : OutboxPosition.Start;
    }

    /// <summary>
    /// Moves the partition's checkpoint forward to <paramref name="delivered"/> (never back: two silos may read a queue
    /// for a moment while Orleans moves it). Committed without waiting for the disk (set_config(..., true) lasts until
    /// this statement's own commit): a checkpoint lost in a crash only means those events are delivered again, which
    /// consumers tolerate anyway. One statement, one round trip.
    /// </summary>
    public async Task SaveCheckpointAsync(int partition, OutboxPosition delivered, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO stream_checkpoints (consumer, partition, transaction_id, position)
            SELECT $1, $2, $3, $4 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
            ON CONFLICT (consumer, partition) DO UPDATE
            SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
            WHERE (stream_checkpoints.transaction_id, stream_checkpoints.position) < (EXCLUDED.transaction_id, EXCLUDED.position)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CheckpointConsumer });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        command.Parameters.Add(TransactionId(delivered.TransactionId));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = delivered.Position });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static NpgsqlParameter<ulong> TransactionId(ulong value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Xid8 };
}
