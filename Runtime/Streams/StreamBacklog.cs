using Npgsql;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Whether stream delivery has caught up: how many committed events no pump has yet delivered and checkpointed.
/// Producers only append to the outbox, so a cluster can acknowledge payments faster than its subscribers handle
/// them; such a rate lasts only as long as the backlog may grow. Benchmarks drain the backlog before they count a
/// rate as sustained. The count walks the log from the oldest checkpoint, so it costs what the backlog is long.
/// </summary>
public sealed class StreamBacklog
{
    // A partition's consumers move their checkpoints over every event of a delivered batch, so an event is pending
    // while it is past the lowest checkpoint of its partition, or its partition has none yet. The log is read from
    // the lowest checkpoint of all (from the start while a partition has none) along its transaction index.
    private static readonly string CountSql =
        $"""
        WITH lowest AS (
            SELECT DISTINCT ON (partition) partition, transaction_id, position FROM stream_checkpoints
            ORDER BY partition, transaction_id, position),
        floor AS (
            SELECT CASE WHEN count(*) < $1 THEN '0'::xid8 ELSE min(transaction_id) END AS transaction_id FROM lowest)
        SELECT count(*) FROM outbox_events e
        LEFT JOIN lowest l ON l.partition = {StreamLog.PartitionOf("e", "$1")}
        WHERE e.transaction_id >= (SELECT transaction_id FROM floor)
          AND (l.partition IS NULL OR (e.transaction_id, e.position) > (l.transaction_id, l.position))
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _partitions;

    /// <param name="partitions">The cluster's partition count (<see cref="StreamOptions.Partitions"/>).</param>
    public StreamBacklog(NpgsqlDataSource dataSource, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        _dataSource = dataSource;
        _partitions = partitions;
    }

    /// <summary>Events committed so far that some consumer has not had delivered.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(CountSql);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _partitions });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
