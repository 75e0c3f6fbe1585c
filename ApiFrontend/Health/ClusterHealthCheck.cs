using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.ApiFrontend.Health;

/// <summary>A front end is ready when it reaches the cluster and Orleans lists at least one active silo.</summary>
internal sealed class ClusterHealthCheck(IClusterClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken);
            var silos = await hosts.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return silos.Count > 0 ? HealthCheckResult.Healthy($"{silos.Count} active silos") : HealthCheckResult.Unhealthy("No active silo.");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The cluster is not reachable.", error);
        }
    }
}
