using Microsoft.Extensions.Diagnostics.HealthChecks;
using Payments.Infrastructure.Hosting;

namespace Payments.Silo.Health;

internal sealed class GrainRuntimeHealthCheck(GrainRuntimeStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.IsStarted ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The grain runtime is not serving."));
}
