using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Payments.Infrastructure.Hosting;

/// <summary>Ready only while PostgreSQL answers a trivial query within the health check's time.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The reason goes to the log through the health check publisher, not to the anonymous caller.
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.", error);
        }
    }
}
