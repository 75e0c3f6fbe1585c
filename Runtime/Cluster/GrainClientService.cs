using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// Keeps a client's view of the cluster current: reads membership at start and every heartbeat interval, so calls
/// go straight to each grain's owning silo.
/// </summary>
internal sealed partial class GrainClientService(MembershipTable table, ClusterView view, IOptions<ClusterOptions> options, ILogger<GrainClientService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // A front end may start before any silo (even before the first one has created the schema): it then starts
        // with no silos, reports not ready, and keeps reading.
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        LogConnected(logger, options.Value.ClusterId, view.Placement.Silos.Count);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (view.Update(await table.ReadAsync(options.Value.ClusterId, cancellationToken).ConfigureAwait(false)))
            {
                LogMembershipChanged(logger, view.Placement.Silos.Count);
            }
        }
        catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException)
        {
            LogReadFailed(logger, error);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Grain client connected to cluster {ClusterId} ({Silos} active silos)")]
    private static partial void LogConnected(ILogger logger, string clusterId, int silos);

    [LoggerMessage(2, LogLevel.Information, "Cluster membership changed: {Silos} active silos")]
    private static partial void LogMembershipChanged(ILogger logger, int silos);

    [LoggerMessage(3, LogLevel.Warning, "Reading cluster membership failed; keeping the last view")]
    private static partial void LogReadFailed(ILogger logger, Exception error);
}
