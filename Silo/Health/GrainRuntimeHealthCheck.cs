using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Payments.Runtime.Hosting;

namespace Orleans.Payments.Silo.Health;

internal sealed class GrainRuntimeHealthCheck(GrainRuntimeStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.IsStarted ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The grain runtime is not serving."));
}
