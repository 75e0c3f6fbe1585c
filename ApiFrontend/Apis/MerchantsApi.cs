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
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/merchants: a user's businesses and their API keys (the owner's session).</summary>
public static class MerchantsApi
{
    public static RouteGroupBuilder MapMerchantsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/merchants").WithTags(ApiTags.Merchants).RequireAuthorization();

        group.MapPost("/", CreateMerchant)
            .WithName(nameof(CreateMerchant))
            .WithSummary("Create a merchant")
            .WithDescription("Creates a business that takes payments, owned by you, with its pending and available balances in `defaultCurrency`. Its payments are taken with API keys (`POST /v1/merchants/{id}/api_keys`).")
            .Accepts<CreateMerchantRequest>("application/json")
            .Produces<MerchantView>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.InvalidCurrency);
        group.MapGet("/", ListMerchants)
            .WithName(nameof(ListMerchants))
            .WithSummary("List your merchants")
            .WithDescription("Newest first; `startingAfter` is a merchant id.")
            .Produces<MerchantPage>();
        group.MapGet("/{id}", GetMerchant)
            .WithName(nameof(GetMerchant))
            .WithSummary("Get a merchant")
            .WithDescription("Only its owner sees a merchant; for anyone else, as for an unknown id, the answer is 404.")
            .Produces<MerchantView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPut("/{id}/fraud_settings", SetFraudSettings)
            .WithName(nameof(SetFraudSettings))
            .WithSummary("Set fraud thresholds and lists")
            .WithDescription("Replaces the merchant's review and block thresholds and its allow and block lists (absent fields take the defaults: review 50, block 75, empty lists). The merchant's `fraud` shows them.")
            .Accepts<FraudSettingsRequest>("application/json")
            .Produces<MerchantView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/{id}/api_keys", CreateApiKey)
            .WithName(nameof(CreateApiKey))
            .WithSummary("Create an API key")
            .WithDescription("Issues a secret key (`sk_test_…`) for the merchant's API calls. The secret is in this answer only: it is stored as a hash and never shown again. A merchant has at most 20 live keys.")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapGet("/{id}/api_keys", ListApiKeys)
            .WithName(nameof(ListApiKeys))
            .WithSummary("List API keys")
            .WithDescription("Every key of the merchant, newest first, with its prefix and when it was rolled or revoked; never a secret.")
            .Produces<ApiKeyPage>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapDelete("/{id}/api_keys/{keyId}", RevokeApiKey)
            .WithName(nameof(RevokeApiKey))
            .WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once, on every front end.")
            .Produces<ApiKeyView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/{id}/api_keys/{keyId}/roll", RollApiKey)
            .WithName(nameof(RollApiKey))
            .WithSummary("Roll an API key")
            .WithDescription("Issues a new key (its secret shown once) and lets the rolled one work for `expiresInSeconds` more (0 to 7 days; 0 when absent), so clients can move to the new one without downtime.")
            .Accepts<RollApiKeyRequest>("application/json")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>POST /v1/merchants {name, country, defaultCurrency} → 201 the merchant.</summary>
    public static async Task<IResult> CreateMerchant(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateMerchantRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var request = body.Value!;
        var merchant = grains.Reference<IMerchantGrain>(PrefixedId.New(PrefixedId.Merchant));
        return ApiResults.Created(await merchant.Create(user.UserId(), request.Name ?? string.Empty, request.Country ?? string.Empty, request.DefaultCurrency ?? string.Empty));
    }

    /// <summary>GET /v1/merchants?limit=&amp;startingAfter= → {data, hasMore}.</summary>
    public static async Task<IResult> ListMerchants(ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.Reference<IMerchantOwnerGrain>(user.UserId()).List(pageSize.Value, startingAfter));
    }

    public static async Task<IResult> GetMerchant(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        Known(id) ? ApiResults.Ok(await grains.Reference<IMerchantGrain>(id).Get(user.UserId())) : NoSuchMerchant();

    public static async Task<IResult> CreateApiKey(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        Known(id) ? ApiResults.Created(await grains.Reference<IMerchantGrain>(id).CreateApiKey(user.UserId())) : NoSuchMerchant();

    public static async Task<IResult> ListApiKeys(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        Known(id) ? ApiResults.Ok(await grains.Reference<IMerchantGrain>(id).ListApiKeys(user.UserId())) : NoSuchMerchant();

    public static async Task<IResult> RevokeApiKey(string id, string keyId, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        Known(id) ? ApiResults.Ok(await grains.Reference<IMerchantGrain>(id).RevokeApiKey(user.UserId(), keyId)) : NoSuchMerchant();

    /// <summary>POST /v1/merchants/{id}/api_keys/{keyId}/roll {expiresInSeconds?} → 201 the new key with its secret.</summary>
    public static async Task<IResult> RollApiKey(string id, string keyId, HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Known(id))
        {
            return NoSuchMerchant();
        }

        var grace = TimeSpan.Zero;
        if (context.Request.ContentLength is > 0 || context.Request.HasJsonContentType())
        {
            var body = await JsonBody.ReadAsync<RollApiKeyRequest>(context.Request);
            if (body.Error is { } invalid)
            {
                return ApiResults.Error(invalid);
            }

            if (body.Value!.ExpiresInSeconds is { } seconds)
            {
                if (seconds < 0 || seconds > (long)MerchantLimits.MaxRollGracePeriod.TotalSeconds)
                {
                    return ApiResults.Error(ApiError.Validation("expiresInSeconds", $"expiresInSeconds is between 0 and {(long)MerchantLimits.MaxRollGracePeriod.TotalSeconds} (7 days)."));
                }

                grace = TimeSpan.FromSeconds(seconds);
            }
        }

        return ApiResults.Created(await grains.Reference<IMerchantGrain>(id).RollApiKey(user.UserId(), keyId, grace));
    }

    /// <summary>PUT /v1/merchants/{id}/fraud_settings {reviewThreshold?, blockThreshold?, allowList?, blockList?} → 200 the merchant.</summary>
    public static async Task<IResult> SetFraudSettings(string id, HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Known(id))
        {
            return NoSuchMerchant();
        }

        var body = await JsonBody.ReadAsync<FraudSettingsRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var request = body.Value!;
        var defaults = FraudSettings.Default;
        var settings = new FraudSettings(
            request.ReviewThreshold ?? defaults.ReviewThreshold, request.BlockThreshold ?? defaults.BlockThreshold,
            request.AllowList ?? [], request.BlockList ?? []);
        return ApiResults.Ok(await grains.Reference<IMerchantGrain>(id).SetFraudSettings(user.UserId(), settings));
    }

    private static bool Known(string id) => PrefixedId.IsValid(id, PrefixedId.Merchant);

    private static IResult NoSuchMerchant() => ApiResults.Error(ApiError.NotFound("No such merchant."));
}
