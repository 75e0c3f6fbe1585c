using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Users;
using Orleans;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/sessions: login (anonymous) and logout.</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/sessions").WithTags("Sessions").RequireAuthorization();

        group.MapPost("/", CreateSession)
            .AllowAnonymous()
            .WithName(nameof(CreateSession))
            .Accepts<CreateSessionRequest>("application/json")
            .Produces<SessionGrant>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized);
        group.MapDelete("/current", DeleteCurrentSession)
            .WithName(nameof(DeleteCurrentSession))
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized);
        return group;
    }

    /// <summary>POST /v1/sessions → 201 {token, userId}; 401 INVALID_CREDENTIALS.</summary>
    public static async Task<IResult> CreateSession(HttpRequest request, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateSessionRequest>(request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var credentials = body.Value!.Validate();
        if (credentials.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var (username, password) = credentials.Value!;
        var outcome = await grains.GetGrain<IUserDirectoryGrain>(GrainKeys.UserDirectory).Login(username.Value, password);
        return ApiResults.Created(outcome);
    }

    /// <summary>DELETE /v1/sessions/current → 204; the token stops working at once.</summary>
    public static async Task<IResult> DeleteCurrentSession(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        await grains.GetGrain<ISessionGrain>(user.SessionKey()).Revoke();
        return Results.NoContent();
    }
}
