using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.Infrastructure.Hosting;

/// <summary>
/// GET /health/live (the process answers; no checks) and GET /health/ready (every check tagged <see cref="ReadyTag"/>
/// is healthy; 503 otherwise), with a small JSON body. Silos and front ends map the same endpoints. They are minimal
/// API endpoints rather than the health-check middleware's, so the OpenAPI document describes them.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    /// <summary>The OpenAPI tag of the health probes (and of the other operator-facing endpoints).</summary>
    public const string Tag = "Operations";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/health").WithTags(Tag);
        group.MapGet("/live", CheckLiveness)
            .WithName(nameof(CheckLiveness))
            .WithSummary("Liveness probe")
            .WithDescription("200 while the process answers HTTP. Runs no checks: restart the process only when this fails.")
            .Produces<HealthReportView>();
        group.MapGet("/ready", CheckReadiness)
            .WithName(nameof(CheckReadiness))
            .WithSummary("Readiness probe")
            .WithDescription("200 when every readiness check passes (PostgreSQL answers; a silo is active in the cluster, or a front end reaches one), 503 with the failing checks otherwise. Route traffic only to ready processes.")
            .Produces<HealthReportView>()
            .Produces<HealthReportView>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    public static async Task<IResult> CheckLiveness(HealthCheckService health, CancellationToken cancellationToken) =>
        Answer(await health.CheckHealthAsync(_ => false, cancellationToken));

    public static async Task<IResult> CheckReadiness(HealthCheckService health, CancellationToken cancellationToken) =>
        Answer(await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken));

    private static IResult Answer(HealthReport report) => Results.Json(
        new HealthReportView(
            report.Status.ToString(),
            report.Entries.ToDictionary(entry => entry.Key, entry => new HealthCheckView(entry.Value.Status.ToString(), entry.Value.Description))),
        statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
}

/// <summary>A health probe's answer: the overall status (Healthy, Degraded or Unhealthy) and each check's.</summary>
public sealed record HealthReportView(string Status, IReadOnlyDictionary<string, HealthCheckView> Checks);

/// <summary>One check of a health probe.</summary>
public sealed record HealthCheckView(string Status, string? Description);
