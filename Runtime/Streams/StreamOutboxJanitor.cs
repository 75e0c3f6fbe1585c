using Microsoft.Extensions.Hosting;
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
/// holds locks for long; every silo may run it (a chunk deleted twice is simply found gone).
/// </summary>
internal sealed partial class StreamOutboxJanitor(
    NpgsqlDataSource dataSource,
    StreamConsumers consumers,
    IOptions<StreamOptions> options,
    TimeProvider time,
    ILogger<StreamOutboxJanitor> logger) : BackgroundService
{
    private const int MaxDeletesPerStatement = 10_000;

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.OutboxTrimInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var deleted = await TrimAsync(settings, stoppingToken).ConfigureAwait(false);
                    LogTrimmed(logger, deleted);
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException)
                {
                    LogFailed(logger, error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Deletes what every consumer has delivered and the retention allows; returns how many events.</summary>
    public async Task<long> TrimAsync(StreamOptions settings, CancellationToken cancellationToken)
    {
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
        }, MaxDeletesPerStatement, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(1, LogLevel.Debug, "Trimmed {Count} delivered events from the outbox")]
    private static partial void LogTrimmed(ILogger logger, long count);

    [LoggerMessage(2, LogLevel.Warning, "Trimming the outbox failed; trying again next interval")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
