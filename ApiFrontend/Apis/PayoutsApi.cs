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
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Settlements;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/payouts: the money a merchant's daily settlement sent to its bank.</summary>
public static class PayoutsApi
{
    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/payouts", ListPayouts)
            .RequireAuthorization(ApiAuth.DashboardPolicy)
            .WithTags(ApiTags.MerchantPayments)
            .WithName(nameof(ListPayouts))
            .WithSummary("List the merchant's payouts")
            .WithDescription("Newest first. Each day the merchant's settled money is paid out to its bank: `pending` until the bank confirms (`paid`) or refuses (`failed`, with `failureCode`; the money is back in the available balance). Filter by `status`; `startingAfter` is a payout id. With the owner's session instead of an API key, `merchant` names the merchant.")
            .Produces<MerchantPayoutPage>()
            .ProducesErrors(ErrorCodes.NotFound);
        return routes;
    }

    public static async Task<IResult> ListPayouts(
        ClaimsPrincipal caller, [FromServices] IGrainFactory grains, [FromQuery] string? status, [FromQuery] string? limit, [FromQuery] string? startingAfter, [FromQuery] string? merchant)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } badLimit)
        {
            return ApiResults.Error(badLimit);
        }

        var scope = await DashboardMerchant.ResolveAsync(caller, merchant, grains);
        return scope.Error is { } notOwned
            ? ApiResults.Error(notOwned)
            : ApiResults.Ok(await grains.Reference<ISettlementGrain>(scope.Value!).Payouts(status, pageSize.Value, startingAfter));
    }
}
