using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/audit: the append-only audit log, a merchant's part to its owner or API key, all of it to operators.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/audit", ListAuditRecords)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithTags(ApiTags.Commerce)
            .WithName(nameof(ListAuditRecords))
            .WithSummary("List the merchant's audit log")
            .WithDescription("Who did what to the merchant's products and orders, newest first, with old and new values where they matter: product changes, stock changes, order transitions, refunds. `resource` keeps one resource's records; `startingAfter` is a record id.")
            .Produces<AuditPage>()
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.ValidationError);
        routes.MapGet("/admin/audit", ListAllAuditRecords)
            .RequireAuthorization(ApiAuth.AdminPolicy)
            .WithTags(ApiTags.Admin)
            .WithName(nameof(ListAllAuditRecords))
            .WithSummary("List the whole audit log")
            .WithDescription("Every audit record of every merchant, and the operators' own (wallet freezes), newest first.")
            .Produces<AuditPage>()
            .ProducesErrors(ErrorCodes.ValidationError);
        return routes;
    }

    public static async Task<IResult> ListAuditRecords(
        ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? merchant, [FromQuery] string? resource, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        return scope.Error is { } notOwned ? ApiResults.Error(notOwned) : await ListAsync(grains, scope.Value, resource, limit, startingAfter);
    }

    public static Task<IResult> ListAllAuditRecords([FromServices] IGrainFactory grains, [FromQuery] string? resource, [FromQuery] string? limit, [FromQuery] string? startingAfter) =>
        ListAsync(grains, null, resource, limit, startingAfter);

    private static async Task<IResult> ListAsync(IGrainFactory grains, string? merchant, string? resource, string? limit, string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        long? cursor = null;
        if (startingAfter is not null)
        {
            if (!long.TryParse(startingAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return ApiResults.Error(ApiError.Validation("startingAfter", "startingAfter is an audit record id."));
            }

            cursor = parsed;
        }

        if (resource is not null && (resource.Length is 0 or > 64))
        {
            return ApiResults.Error(ApiError.Validation("resource", "resource is a resource id (prod_…, ord_…)."));
        }

        return ApiResults.Json(await grains.GetGrain<IAuditLogGrain>(0).List(merchant, resource, pageSize.Value, cursor));
    }
}
