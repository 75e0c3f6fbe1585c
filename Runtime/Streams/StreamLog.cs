using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Orleans.Payments.Runtime.Postgres;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// The stream pump's view of the database: reads a partition of the outbox in delivery order, keeps consumers'
/// checkpoints, and records dead letters. A stream's partition is a hash of its namespace and key.
/// </summary>
internal sealed class StreamLog([FromKeyedServices(StreamLog.DataSourceKey)] NpgsqlDataSource dataSource, WalFlushBarrier flushBarrier)
{
    /// <summary>The pumps' pool (see <see cref="PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>).</summary>
    public const string DataSourceKey = "stream-log";

    // Only rows whose transaction is older than every transaction still open are read: every row that becomes
    // visible later has a transaction id at or above that horizon, so it sorts after everything read now.
    // The horizon is computed once per statement in a sub-select: pg_current_snapshot() is volatile, so written
    // inline it is evaluated per row and cannot bound an index scan (the held-back check then scanned the whole log).
    private static readonly string ReadSql =
        $$"""
        SELECT e.transaction_id, e.position, e.event_id, e.stream_namespace, e.stream_key, e.type, e.payload, e.created_at,
               coalesce(s.grain_types, '{}'), coalesce(s.grain_keys, '{}')
        FROM (
            SELECT * FROM outbox_events
            WHERE (transaction_id, position) > ($1, $2)
              AND transaction_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
              AND {{PartitionOf(null, "$3")}} = $4
            ORDER BY transaction_id, position
            LIMIT $5) e
        LEFT JOIN LATERAL (
            SELECT array_agg(grain_type) AS grain_types, array_agg(grain_key) AS grain_keys FROM stream_subscriptions
            WHERE stream_namespace = e.stream_namespace AND stream_key = e.stream_key) s ON true
        ORDER BY e.transaction_id, e.position
        """;

    // Whether some committed event (of any partition) sits at or above the horizon, i.e. waits behind an open
    // transaction. max() walks the transaction index backwards from its end, so this stays cheap however long the
    // log; a per-partition filter would need a scan (its selectivity is unknown to the planner).
    private const string HeldBackSql =
        """
        SELECT coalesce(max(transaction_id) >= (SELECT pg_snapshot_xmin(pg_current_snapshot())), false) FROM outbox_events
        """;

    /// <summary>The SQL for the partition of an outbox row (of table alias <paramref name="alias"/>) among <paramref name="partitions"/>.</summary>
    internal static string PartitionOf(string? alias, string partitions)
    {
        var column = alias is null ? "" : alias + ".";
        return $"((hashtext({column}stream_namespace || '/' || {column}stream_key) & 2147483647) % {partitions})";
    }

    /// <summary>
    /// The partition's next events after <paramref name="after"/>, once they are durable: producers may commit without
    /// waiting for the disk (early lock release) and answer their callers only after a flush, and subscribers must not
    /// act on an event before that either (a "payment received" for a payment a crash could still undo). One flush
    /// covers every event read; the connection goes back to the pool before the wait.
    /// </summary>
    public async Task<StreamBatch> ReadAsync(int partition, int partitions, StreamSequenceToken after, int limit, CancellationToken cancellationToken)
    {
        var batch = await ReadCommittedAsync(partition, partitions, after, limit, cancellationToken).ConfigureAwait(false);
        if (batch.Events.Count > 0)
        {
            await flushBarrier.WaitForFlushAsync().ConfigureAwait(false);
        }

        return batch;
    }

    private async Task<StreamBatch> ReadCommittedAsync(int partition, int partitions, StreamSequenceToken after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        var read = new NpgsqlBatchCommand(ReadSql);
        read.Parameters.Add(TransactionId(after.TransactionId));
        read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Position });
        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partitions });
        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        batch.BatchCommands.Add(read);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(HeldBackSql));

        var events = new List<LoggedEvent>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var stream = new StreamId(reader.GetString(3), reader.GetString(4));
            var item = new StreamEvent(
                reader.GetGuid(2),
                stream,
                reader.GetString(5),
                reader.GetFieldValue<JsonElement>(6),
                new StreamSequenceToken(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)),
                reader.GetFieldValue<DateTimeOffset>(7));
            var types = reader.GetFieldValue<string[]>(8);
            var keys = reader.GetFieldValue<string[]>(9);
            events.Add(new LoggedEvent(item, types.Select((type, i) => new GrainId(type, keys[i])).ToList()));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StreamBatch(events, reader.GetBoolean(0));
    }

    /// <summary>The consumers' checkpoints in a partition; consumers without one start before the first event.</summary>
    public async Task<Dictionary<string, StreamSequenceToken>> LoadCheckpointsAsync(int partition, IEnumerable<StreamConsumer> consumers, CancellationToken cancellationToken)
    {
        var checkpoints = consumers.ToDictionary(consumer => consumer.Name, _ => StreamSequenceToken.Start, StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT consumer, transaction_id, position FROM stream_checkpoints WHERE partition = $1 AND consumer = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = checkpoints.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            checkpoints[reader.GetString(0)] = new StreamSequenceToken(reader.GetFieldValue<ulong>(1), reader.GetInt64(2));
        }

        return checkpoints;
    }

    /// <summary>
    /// Moves the consumers' checkpoints forward to <paramref name="token"/> (never back, should two pumps overlap).
    /// Committed without waiting for the disk (set_config(..., true) lasts until this statement's own commit): a
    /// checkpoint lost in a crash only means those events are delivered again, which consumers tolerate anyway, and
    /// the pump does not wait for a flush every round. One statement, one round trip.
    /// </summary>
    public async Task SaveCheckpointsAsync(int partition, IReadOnlyCollection<string> consumers, StreamSequenceToken token, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO stream_checkpoints (consumer, partition, transaction_id, position)
            SELECT c.consumer, $2, $3, $4 FROM unnest($1::text[]) AS c(consumer), (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
            ON CONFLICT (consumer, partition) DO UPDATE
            SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
            WHERE (stream_checkpoints.transaction_id, stream_checkpoints.position) < (EXCLUDED.transaction_id, EXCLUDED.position)
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = consumers.ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        command.Parameters.Add(TransactionId(token.TransactionId));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = token.Position });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an event a subscriber kept failing on; a repeat (after a pump takeover) is ignored.</summary>
    public async Task DeadLetterAsync(string consumer, GrainId grain, StreamEvent item, int attempts, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO stream_dead_letters (consumer, grain_type, grain_key, event_id, stream_namespace, stream_key, position, type, payload, attempts, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (consumer, grain_type, grain_key, event_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Key });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = item.EventId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = item.Stream.Namespace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = item.Stream.Key });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = item.Token.Position });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = item.Type });
        command.Parameters.Add(new NpgsqlParameter<JsonElement> { TypedValue = item.Payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = attempts });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter<ulong> TransactionId(ulong value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Xid8 };
}
