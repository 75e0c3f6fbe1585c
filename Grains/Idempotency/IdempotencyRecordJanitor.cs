using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Payments.Runtime.Postgres;

namespace Orleans.Payments.Grains.Idempotency;

/// <summary>Deletes expired idempotency records every hour, in bounded chunks so no statement holds locks for long.</summary>
public sealed partial class IdempotencyRecordJanitor(NpgsqlDataSource dataSource, TimeProvider time, ILogger<IdempotencyRecordJanitor> logger) : BackgroundService
{
    private const int MaxDeletesPerStatement = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                try
                {
                    var deleted = await ChunkedDelete.RunAsync(
                        dataSource,
                        "DELETE FROM idempotency_records WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_records WHERE expires_at < now() LIMIT $1))",
                        _ => { },
                        MaxDeletesPerStatement,
                        stoppingToken).ConfigureAwait(false);
                    LogDeleted(logger, deleted);
                }
                catch (NpgsqlException error)
                {
                    LogFailed(logger, error);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Deleted {Count} expired idempotency records")]
    private static partial void LogDeleted(ILogger logger, long count);

    [LoggerMessage(2, LogLevel.Warning, "Deleting expired idempotency records failed; next round in an hour")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
