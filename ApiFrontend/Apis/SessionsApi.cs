using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.RateLimiting;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Users;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/sessions: login (anonymous) and logout.</summary>
public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/sessions").WithTags(ApiTags.Sessions).RequireAuthorization();

        group.MapPost("/", CreateSession)
            .AllowAnonymous()
            .WithName(nameof(CreateSession))
            .WithSummary("Sign in")
            .WithDescription("Checks the username and password and answers a bearer token (shown once; the server keeps only its hash). An unknown user and a wrong password get the same answer in the same time. Limited per address and per username; after repeated failures for a username, `TOO_MANY_ATTEMPTS` then `ACCOUNT_LOCKED`, each with `retryAfter`. 503 when the servers are busy checking passwords.")
            .Accepts<CreateSessionRequest>("application/json")
            .Produces<SessionGrant>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.InvalidCredentials, ErrorCodes.TooManyAttempts, ErrorCodes.AccountLocked, ErrorCodes.NotFound);
        group.MapPost("/browser", CreateBrowserSession)
            .AllowAnonymous()
            .WithName(nameof(CreateBrowserSession))
            .WithSummary("Sign in from the web app")
            .WithDescription("Signs in as `POST /v1/sessions` does, under the same limits, but the token goes into an HttpOnly, SameSite=Strict cookie (`payments_session`) that page scripts cannot read, and the answer carries `csrfToken` instead (also in the readable `payments_csrf` cookie). Requests the cookie authenticates must repeat it in `X-CSRF-Token` unless they only read, and must not come from another origin: otherwise 403 `CSRF_REJECTED`.")
            .Accepts<CreateSessionRequest>("application/json")
            .Produces<BrowserSessionGrant>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.InvalidCredentials, ErrorCodes.TooManyAttempts, ErrorCodes.AccountLocked, ErrorCodes.NotFound);
        group.MapDelete("/current", DeleteCurrentSession)
            .WithName(nameof(DeleteCurrentSession))
            .WithSummary("Sign out")
            .WithDescription("Revokes the session whose token made the request. The token stops working at once on the front end that answers, and on every other front end as soon as it hears the revocation (a PostgreSQL NOTIFY, normally within milliseconds); notification sockets opened with it close (code 4401) on every front end.")
            .Produces(StatusCodes.Status204NoContent);
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
        var (refusal, grant) = await LoginAsync(request, grains, limits);
        return refusal ?? ApiResults.Json(grant!, StatusCodes.Status201Created);
    }

    /// <summary>POST /v1/sessions/browser → 201 {userId, csrfToken} and the session cookies; refusals as for <see cref="CreateSession"/>.</summary>
    public static async Task<IResult> CreateBrowserSession(HttpRequest request, [FromServices] IGrainFactory grains, [FromServices] LoginRateLimit limits)
    {
        var (refusal, grant) = await LoginAsync(request, grains, limits);
        if (refusal is not null)
        {
            return refusal;
        }

        var csrf = BrowserSession.Issue(request.HttpContext.Response, grant!.Token);
        return ApiResults.Json(new BrowserSessionGrant(grant.UserId, csrf), StatusCodes.Status201Created);
    }

    // The answer to send instead (a refusal), or the new session.
    private static async Task<(IResult? Refusal, SessionGrant? Grant)> LoginAsync(HttpRequest request, IGrainFactory grains, LoginRateLimit limits)
    {
        if (limits.LoginFromAddress(request.HttpContext) is { } tooMany)
        {
            return (ApiResults.Error(tooMany), null);
        }

        var body = await JsonBody.ReadAsync<CreateSessionRequest>(request);
        if (body.Error is { } invalid)
        {
            return (ApiResults.Error(invalid), null);
        }

        var credentials = body.Value!.Validate();
        if (credentials.Error is { } error)
        {
            return (ApiResults.Error(error), null);
        }

        var (username, password, deviceId) = credentials.Value!;
        if (limits.LoginAs(username) is { } tooManyForName)
        {
            return (ApiResults.Error(tooManyForName), null);
        }

        var outcome = await grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory).Login(username.Value, password, deviceId);
        return outcome.Error is { } refused ? (ApiResults.Error(refused), null) : (null, outcome.Value);
    }

    /// <summary>
    /// DELETE /v1/sessions/current → 204; the token stops working at once here, and on the other front ends as soon as
    /// they hear the revocation's NOTIFY.
    /// </summary>
    public static async Task<IResult> DeleteCurrentSession(ClaimsPrincipal user, HttpResponse response, [FromServices] IGrainFactory grains, [FromServices] AcceptedSessionCache acceptedSessions)
    {
        await grains.Reference<ISessionGrain>(user.SessionKey()).Revoke();
        acceptedSessions.Revoked(user.SessionKey());
        if (BrowserSession.IsCookieSession(user))
        {
            BrowserSession.Clear(response);
        }

        return Results.NoContent();
    }
}
