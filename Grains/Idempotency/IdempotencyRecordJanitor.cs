using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Idempotency;

/// <summary>Deletes expired idempotency records every hour, in bounded chunks so no statement holds locks for long.</summary>
public sealed class IdempotencyRecordJanitor(NpgsqlDataSource dataSource, TimeProvider time, ILogger<IdempotencyRecordJanitor> logger)
    : PeriodicCleanup(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string Subject => "expired idempotency records";

    /// <summary>Deletes every record past its expiry; returns how many.</summary>
    public override Task<long> CleanAsync(CancellationToken cancellationToken) =>
        ChunkedDelete.RunAsync(
            dataSource,
            "DELETE FROM idempotency_records WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_records WHERE expires_at < now() LIMIT $1))",
            _ => { },
            cancellationToken);
}
