using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans.Payments.ApiFrontend.Authentication;
using Orleans.Payments.ApiFrontend.Errors;
using Orleans.Payments.Grains.Interfaces.Identity;
using Orleans.Payments.Grains.Interfaces.Ledger;
using Orleans.Payments.Grains.Interfaces.Wallets;
using Orleans.Payments.Runtime;

namespace Orleans.Payments.ApiFrontend.Apis;

/// <summary>/v1/admin: operator endpoints, behind the operator token (policy Admin).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin").WithTags("Admin").RequireAuthorization(ApiAuth.AdminPolicy);

        group.MapGet("/ledger/audit", AuditLedger)
            .WithName(nameof(AuditLedger))
            .Produces<LedgerAuditReport>()
            .Produces<ApiError>(StatusCodes.Status401Unauthorized);
        group.MapPost("/wallets/{userId}/freeze", FreezeWallet)
            .WithName(nameof(FreezeWallet))
            .Produces<WalletView>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        group.MapPost("/wallets/{userId}/unfreeze", UnfreezeWallet)
            .WithName(nameof(UnfreezeWallet))
            .Produces<WalletView>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>GET /v1/admin/ledger/audit → {balanced, currencies, …}.</summary>
    public static async Task<IResult> AuditLedger([FromServices] IGrainFactory grains) =>
        ApiResults.Json(await grains.GetGrain<ILedgerAuditGrain>(GrainKeys.LedgerAudit).Audit());

    /// <summary>POST /v1/admin/wallets/{userId}/freeze → 200 wallet; frozen wallets refuse sends and withdrawals.</summary>
    public static Task<IResult> FreezeWallet(string userId, [FromServices] IGrainFactory grains) => SetFrozenAsync(userId, frozen: true, grains);

    /// <summary>POST /v1/admin/wallets/{userId}/unfreeze → 200 wallet.</summary>
    public static Task<IResult> UnfreezeWallet(string userId, [FromServices] IGrainFactory grains) => SetFrozenAsync(userId, frozen: false, grains);

    private static async Task<IResult> SetFrozenAsync(string userId, bool frozen, IGrainFactory grains)
    {
        if (!UserId.TryParse(userId, out var id))
        {
            return ApiResults.Error(ApiError.NotFound("No such wallet."));
        }

        return ApiResults.Ok(await grains.GetGrain<IWalletGrain>(id.Key).SetFrozen(frozen));
    }
}
