using Npgsql;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Whether stream delivery has caught up: how many committed events the provider has not yet delivered and
/// checkpointed. Producers only append to the outbox, so a cluster can acknowledge payments faster than its consumers
/// handle them; such a rate lasts only as long as the backlog may grow. Benchmarks drain the backlog before they count
/// a rate as sustained. The count walks the log from the oldest checkpoint, so it costs what the backlog is long.
/// Checkpoints move when the queue cache releases delivered events (a read or so after delivery), so a delivered event
/// may count for a moment longer.
/// </summary>
public sealed class StreamBacklog
{
    // An event is pending while it is past its partition's checkpoint, or its partition has none yet. The log is read
    // from the lowest checkpoint of all (from the start while a partition has none) along its transaction index.
    private static readonly string CountSql =
        $"""
        WITH checkpoints AS (
            SELECT partition, transaction_id, position FROM stream_checkpoints WHERE consumer = $2 AND partition < $1),
        floor AS (
            SELECT CASE WHEN count(*) < $1 THEN '0'::xid8 ELSE min(transaction_id) END AS transaction_id FROM checkpoints)
        SELECT count(*) FROM outbox_events e
        LEFT JOIN checkpoints c ON c.partition = {OutboxPartition.Sql("e", "$1")}
        WHERE e.transaction_id >= (SELECT transaction_id FROM floor)
          AND (c.partition IS NULL OR (e.transaction_id, e.position) > (c.transaction_id, c.position))
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _partitions;

    /// <param name="partitions">The cluster's partition count (<see cref="StreamOptions.Partitions"/>).</param>
    public StreamBacklog(NpgsqlDataSource dataSource, int partitions)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, OutboxPartition.MaxPartitions);
        _dataSource = dataSource;
        _partitions = partitions;
    }

    /// <summary>Events committed so far that the provider has not delivered.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(CountSql);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _partitions });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = OutboxLog.CheckpointConsumer });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
