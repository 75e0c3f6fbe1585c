using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Notifications;

/// <summary>
/// Deletes notifications older than <see cref="NotificationOptions.Retention"/> every hour, in bounded chunks so no
/// statement holds locks for long.
/// </summary>
public sealed class NotificationInboxJanitor(
    NpgsqlDataSource dataSource,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationInboxJanitor> logger) : PeriodicCleanup(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string Subject => "notifications past their retention";

    /// <summary>Deletes every notification older than the retention; returns how many.</summary>
    public override Task<long> CleanAsync(CancellationToken cancellationToken) =>
        ChunkedDelete.RunAsync(
            dataSource,
            """
            DELETE FROM notifications WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM notifications WHERE created_at < now() - $1 LIMIT $2))
            """,
            parameters => parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.Retention }),
            cancellationToken);
}
