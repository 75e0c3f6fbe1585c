using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Payments.Runtime.Postgres;

namespace Orleans.Payments.Grains.Notifications;

/// <summary>
/// Deletes notifications older than <see cref="NotificationOptions.Retention"/> every hour, in bounded chunks so no
/// statement holds locks for long. Every silo runs it; a chunk deleted twice is simply found gone.
/// </summary>
public sealed partial class NotificationInboxJanitor(
    NpgsqlDataSource dataSource,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationInboxJanitor> logger) : BackgroundService
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
                    LogDeleted(logger, await DeleteExpiredAsync(stoppingToken).ConfigureAwait(false));
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException)
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

    /// <summary>Deletes every notification older than the retention; returns how many.</summary>
    public Task<long> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        ChunkedDelete.RunAsync(
            dataSource,
            """
            DELETE FROM notifications WHERE sequence = ANY (ARRAY(
                SELECT sequence FROM notifications WHERE created_at < now() - $1 LIMIT $2))
            """,
            parameters => parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.Retention }),
            MaxDeletesPerStatement,
            cancellationToken);

    [LoggerMessage(1, LogLevel.Debug, "Deleted {Count} notifications past their retention")]
    private static partial void LogDeleted(ILogger logger, long count);

    [LoggerMessage(2, LogLevel.Warning, "Deleting old notifications failed; next round in an hour")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
