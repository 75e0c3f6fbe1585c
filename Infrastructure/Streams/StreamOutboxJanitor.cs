using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Infrastructure.Postgres;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Keeps the outbox from growing forever: every <see cref="StreamOptions.OutboxTrimInterval"/> it deletes events the
/// provider has delivered in every partition (below the lowest checkpoint of all) and that are older than
/// <see cref="StreamOptions.OutboxRetention"/>. While some partition has no checkpoint it deletes nothing, since that
/// partition would be read from the beginning. Deletes go in bounded chunks so no statement holds locks for long.
/// It also trims the failure notes consumers left for events that got through after all.
/// </summary>
internal sealed class StreamOutboxJanitor(
    NpgsqlDataSource dataSource,
    StreamDeliveryFailures failures,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<StreamOutboxJanitor> logger) : PeriodicCleanup(time, logger)
{
    // The lowest checkpoint of all, and how many partitions have one (counted before the LIMIT).
    private const string LowestCheckpointSql =
        """
        SELECT count(*) OVER (), transaction_id, position FROM stream_checkpoints
        WHERE consumer = $1 AND partition < $2
        ORDER BY transaction_id, position
        LIMIT 1
        """;

    private const string DeleteSql =
        """
        DELETE FROM outbox_events WHERE position = ANY (ARRAY(
            SELECT position FROM outbox_events
            WHERE (transaction_id, position) <= ($1, $2) AND created_at < now() - $3
            ORDER BY transaction_id, position
            LIMIT $4))
        """;

    protected override TimeSpan Interval => options.Value.OutboxTrimInterval;

    protected override string Subject => "delivered events and stale delivery-failure notes from the outbox";

    /// <summary>Deletes what every partition has delivered and the retention allows; returns how many rows.</summary>
    public override async Task<long> CleanAsync(CancellationToken cancellationToken)
    {
        var trimmedNotes = await failures.TrimAsync(cancellationToken).ConfigureAwait(false);
        var settings = options.Value;
        await using var lowest = dataSource.CreateCommand(LowestCheckpointSql);
        lowest.Parameters.Add(new NpgsqlParameter<string> { TypedValue = OutboxLog.CheckpointConsumer });
        lowest.Parameters.Add(new NpgsqlParameter<int> { TypedValue = settings.Partitions });
        OutboxPosition horizon;
        await using (var reader = await lowest.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.GetInt64(0) < settings.Partitions)
            {
                return trimmedNotes;
            }

            horizon = new OutboxPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2));
        }

        return trimmedNotes + await ChunkedDelete.RunAsync(dataSource, DeleteSql, parameters =>
        {
            parameters.Add(OutboxLog.TransactionId(horizon.TransactionId));
            parameters.Add(new NpgsqlParameter<long> { TypedValue = horizon.Position });
            parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settings.OutboxRetention });
        }, cancellationToken).ConfigureAwait(false);
    }
}
