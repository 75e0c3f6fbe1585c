using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.RateLimiting;
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
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status423Locked)
            .Produces<ApiError>(StatusCodes.Status429TooManyRequests)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        group.MapDelete("/current", DeleteCurrentSession)
            .WithName(nameof(DeleteCurrentSession))
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized);
        return group;
    }

    /// <summary>
    /// POST /v1/sessions → 201 {token, userId}; 401 INVALID_CREDENTIALS (the same body for an unknown user and a wrong
    /// password); 429 RATE_LIMITED past the per-address or per-username limit; after repeated failures for the
    /// username 429 TOO_MANY_ATTEMPTS, then 423 ACCOUNT_LOCKED, both with retryAfter; 503 when the silo's password
    /// hashing is full. All with Retry-After.
    /// </summary>
    public static async Task<IResult> CreateSession(HttpRequest request, [FromServices] IGrainFactory grains, [FromServices] LoginRateLimit limits)
    {
        if (limits.LoginFromAddress(request.HttpContext) is { } tooMany)
        {
            return ApiResults.Error(tooMany);
        }

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
        if (limits.LoginAs(username) is { } tooManyForName)
        {
            return ApiResults.Error(tooManyForName);
        }

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
