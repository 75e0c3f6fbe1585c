using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Funding;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/funding_sources: what covers a send larger than the wallet's balance.</summary>
public static class FundingSourcesApi
{
    public static RouteGroupBuilder MapFundingSourcesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/funding_sources").WithTags(ApiTags.Wallet).RequireAuthorization();

        group.MapGet("/", ListFundingSources)
            .WithName(nameof(ListFundingSources))
            .WithSummary("List your funding sources")
            .WithDescription("Your linked bank account (`bank`) and your active cards, with the default marked. With a default, a send or a request payment larger than your balance pulls the shortfall from it; without one, it is refused with `INSUFFICIENT_FUNDS`.")
            .Produces<FundingSourcePage>();
        group.MapPost("/{id}/default", SetDefaultFundingSource)
            .WithName(nameof(SetDefaultFundingSource))
            .WithSummary("Choose the default funding source")
            .WithDescription("`bank` or the id of one of your active cards.")
            .Produces<FundingSourcePage>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapDelete("/default", ClearDefaultFundingSource)
            .WithName(nameof(ClearDefaultFundingSource))
            .WithSummary("Clear the default funding source")
            .WithDescription("Sends larger than the balance are refused again.")
            .Produces<FundingSourcePage>();
        return group;
    }

    public static async Task<IResult> ListFundingSources(ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Json(await grains.Reference<ICardholderGrain>(user.UserId()).FundingSources());

    public static async Task<IResult> SetDefaultFundingSource(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        id == FundingSources.Bank || PrefixedId.IsValid(id, PrefixedId.Card)
            ? ApiResults.Ok(await grains.Reference<ICardholderGrain>(user.UserId()).SetDefaultFundingSource(id))
            : ApiResults.Error(new ApiError(ErrorCodes.NotFound, "No such funding source: it is bank or one of your active cards.", "source"));

    public static async Task<IResult> ClearDefaultFundingSource(ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.Reference<ICardholderGrain>(user.UserId()).SetDefaultFundingSource(null));
}
