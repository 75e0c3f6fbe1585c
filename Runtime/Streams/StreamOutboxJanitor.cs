using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Payments.Runtime.Postgres;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Keeps the outbox from growing forever: every <see cref="StreamOptions.OutboxTrimInterval"/> it deletes events that
/// every consumer has delivered in every partition (below the lowest checkpoint of all) and that are older than
/// <see cref="StreamOptions.OutboxRetention"/>. While some consumer has no checkpoint in some partition it deletes
/// nothing, since that consumer would start reading from the beginning. Deletes go in bounded chunks so no statement
/// holds locks for long.
/// </summary>
internal sealed class StreamOutboxJanitor(
    NpgsqlDataSource dataSource,
    StreamConsumers consumers,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<StreamOutboxJanitor> logger) : PeriodicCleanup(time, logger)
{
    // The lowest checkpoint of all, and how many (consumer, partition) checkpoints exist (count before the LIMIT).
    private const string LowestCheckpointSql =
        """
        SELECT count(*) OVER (), transaction_id, position FROM stream_checkpoints
        WHERE consumer = ANY($1) AND partition < $2
        ORDER BY transaction_id, position
        LIMIT 1
        """;

    private const string DeleteSql =
        """
        DELETE FROM outbox_events WHERE position = ANY (ARRAY(
            SELECT position FROM outbox_events
            WHERE (transaction_id, position) < ($1, $2) AND created_at < now() - $3
            ORDER BY transaction_id, position
            LIMIT $4))
        """;

    protected override TimeSpan Interval => options.Value.OutboxTrimInterval;

    protected override string Subject => "delivered events from the outbox";

    /// <summary>Deletes what every consumer has delivered and the retention allows; returns how many events.</summary>
    public override async Task<long> CleanAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var names = consumers.All.Select(consumer => consumer.Name).ToArray();
        await using var lowest = dataSource.CreateCommand(LowestCheckpointSql);
        lowest.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = names });
        lowest.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.Partitions });
        StreamSequenceToken horizon;
        await using (var reader = await lowest.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(0) < (long)names.Length * settings.Partitions)
            {
                return 0;
            }

            horizon = new StreamSequenceToken(reader.GetFieldValue<ulong>(1), reader.GetInt64(2));
        }

        return await ChunkedDelete.RunAsync(dataSource, DeleteSql, parameters =>
        {
            parameters.Add(new NpgsqlParameter<ulong> { TypedValue = horizon.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
            parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon.Position });
            parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settings.OutboxRetention });
        }, cancellationToken).ConfigureAwait(false);
    }
}
