using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using Payments.ApiFrontend.Authentication;

namespace Payments.ApiFrontend.Operations;

/// <summary>
/// What operators watch, behind the operator token: the Orleans Dashboard at <c>/dashboard</c> (it shows grain state,
/// so it is never anonymous) and Prometheus metrics at <c>/metrics</c>: Orleans' meter, the project's meters
/// (<c>Payments.*</c>) and ASP.NET Core's.
/// </summary>
public static class OperatorEndpoints
{
    public const string DashboardPath = "/dashboard";
    public const string MetricsPath = "/metrics";

    private static readonly string[] s_meters = ["Microsoft.Orleans", "Payments.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>The operator policy: the operator token's scheme and role.</summary>
    public static void RequireOperator(AuthorizationPolicyBuilder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.AddAuthenticationSchemes(ApiAuth.AdminScheme).RequireAuthenticatedUser().RequireClaim(ApiAuth.RoleClaim, ApiAuth.OperatorRole);
    }

    public static IServiceCollection AddOperatorMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(s_meters).AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps the metrics, and the dashboard when the host registered it (silos and front ends call <c>AddDashboard</c>).</summary>
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(ApiAuth.AdminPolicy);
        endpoints.MapOrleansDashboard(DashboardPath).RequireAuthorization(ApiAuth.AdminPolicy).ExcludeFromDescription();
        return endpoints;
    }
}
