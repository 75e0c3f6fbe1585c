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
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/devices: the signed-in user's devices, and reporting one lost.</summary>
public static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/devices").WithTags(ApiTags.CardWallet).RequireAuthorization();

        group.MapPost("/", CreateDevice)
            .WithName(nameof(CreateDevice))
            .WithSummary("Add a device")
            .WithDescription($"Registers a device the user's cards can be provisioned to; a user has at most {CardWalletLimits.MaxDevicesPerUser}. A session opened with its `deviceId` is bound to it.")
            .Accepts<CreateDeviceRequest>("application/json")
            .Produces<DeviceView>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.DeviceLimitReached);
        group.MapGet("/", ListDevices)
            .WithName(nameof(ListDevices))
            .WithSummary("List your devices")
            .WithDescription("Oldest first, lost ones included.")
            .Produces<DevicePage>();
        group.MapPost("/{id}/lost", ReportDeviceLost)
            .WithName(nameof(ReportDeviceLost))
            .WithSummary("Report a device lost")
            .WithDescription("Marks the device lost, revokes every session bound to it, and suspends every card on it at its network. Idempotent: a repeat reports progress. If a network does not answer, the answer says which cards are `cardsPending` (`complete` false) and the platform keeps retrying, across restarts, until every card is suspended.")
            .Produces<LostDeviceView>()
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>POST /v1/devices {name, platform} → 201 the device.</summary>
    public static async Task<IResult> CreateDevice(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateDeviceRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var device = body.Value!.Validate();
        if (device.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        return ApiResults.Created(await grains.Reference<ICardholderGrain>(user.UserId()).AddDevice(device.Value.Name, device.Value.Platform));
    }

    public static async Task<IResult> ListDevices(ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Json(await grains.Reference<ICardholderGrain>(user.UserId()).Devices());

    /// <summary>
    /// POST /v1/devices/{id}/lost → 200 what was revoked and suspended, and what is still pending. The revoked sessions
    /// stop working here at once, and on the other front ends as soon as they hear the revocations' NOTIFY.
    /// </summary>
    public static async Task<IResult> ReportDeviceLost(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] AcceptedSessionCache acceptedSessions)
    {
        if (!PrefixedId.IsValid(id, PrefixedId.Device))
        {
            return ApiResults.Error(new ApiError(ErrorCodes.NotFound, "No such device."));
        }

        var outcome = await grains.Reference<IDeviceGrain>(id).ReportLost(user.UserId());
        foreach (var sessionKey in outcome.Value?.RevokedSessionKeys ?? [])
        {
            acceptedSessions.Revoked(sessionKey);
        }

        return ApiResults.Ok(outcome);
    }
}
