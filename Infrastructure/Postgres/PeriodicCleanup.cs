using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>
/// A background job that deletes what a table no longer needs: one round at start, then one every
/// <see cref="Interval"/> until shutdown. A round that fails on the database is logged and the next one tries again.
/// Every silo runs it; rounds on several silos at once only find each other's rows gone.
/// </summary>
public abstract partial class PeriodicCleanup(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Time between rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a round deletes, for the logs ("expired idempotency records").</summary>
    protected abstract string Subject { get; }

    /// <summary>One round: deletes what is due and returns how many rows went.</summary>
    public abstract Task<long> CleanAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    LogDeleted(logger, await CleanAsync(stoppingToken).ConfigureAwait(false), Subject);
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException)
                {
                    LogFailed(logger, error, Subject, Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Deleted {Count} {Subject}")]
    private static partial void LogDeleted(ILogger logger, long count, string subject);

    [LoggerMessage(2, LogLevel.Warning, "Deleting {Subject} failed; next round in {Interval}")]
    private static partial void LogFailed(ILogger logger, Exception error, string subject, TimeSpan interval);
}
