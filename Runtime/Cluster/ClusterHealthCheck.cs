using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>A client is ready when it knows at least one active silo to send calls to.</summary>
public sealed class ClusterHealthCheck(ClusterView view) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(view.Placement.Silos.Count > 0
            ? HealthCheckResult.Healthy($"{view.Placement.Silos.Count} active silos.")
            : HealthCheckResult.Unhealthy("No active silo in the cluster."));
}
