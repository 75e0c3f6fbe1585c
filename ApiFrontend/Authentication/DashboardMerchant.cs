using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Orleans;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// The merchant a dashboard request (listings, balance, analytics, captures, refunds, webhooks) is for. An API key reads its own merchant; a signed-in
/// user names one they own in <c>merchant</c>. Naming any other merchant is 404, as for an unknown id, so a caller
/// cannot learn which merchants exist.
/// </summary>
public static class DashboardMerchant
{
    public const string QueryName = "merchant";

    public static async Task<Parsed<string>> ResolveAsync(ClaimsPrincipal caller, string? merchant, IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(grains);
        if (caller.FindFirstValue(ApiAuth.MerchantClaim) is { } keyMerchant)
        {
            return merchant is null || merchant == keyMerchant ? keyMerchant : NoSuchMerchant();
        }

        if (merchant is null)
        {
            return ApiError.Validation(QueryName, "merchant is the id (mer_…) of a merchant you own; with an API key it may be left out.");
        }

        if (!PrefixedId.IsValid(merchant, PrefixedId.Merchant))
        {
            return NoSuchMerchant();
        }

        var owned = await grains.Reference<IMerchantGrain>(merchant).Get(caller.UserId());
        return owned.Error is null ? merchant : NoSuchMerchant();
    }

    /// <summary>Resolves the merchant, then answers with <paramref name="action"/> for it, or with the refusal.</summary>
    public static async Task<IResult> RunAsync(ClaimsPrincipal caller, string? merchant, IGrainFactory grains, Func<string, Task<IResult>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var scope = await ResolveAsync(caller, merchant, grains);
        return scope.Error is { } notOwned ? ApiResults.Error(notOwned) : await action(scope.Value!);
    }

    private static ApiError NoSuchMerchant() => new(ErrorCodes.NotFound, "No such merchant.", QueryName);
}
