using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Users;
using Orleans;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Scheme "Session": <c>Authorization: Bearer &lt;token&gt;</c> is looked up in the session grain keyed by the token's
/// SHA-256, on every request, so a revoked session stops working at once. Success gives a principal with
/// <c>sub</c> = user id. Challenge: 401 UNAUTHENTICATED; forbid: 403 FORBIDDEN (JSON).
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Operator endpoints take the operator token, not sessions: no session lookup for it.
        var fromQuery = !BearerToken.IsPresent(Request) && AllowsQueryToken() && Request.Query.ContainsKey(BearerToken.QueryParameter);
        if ((!BearerToken.IsPresent(Request) && !fromQuery) || IsOperatorEndpoint())
        {
            return AuthenticateResult.NoResult();
        }

        if (!(fromQuery ? BearerToken.TryReadQuery(Request, out var token) : BearerToken.TryRead(Request, out token)))
        {
            return AuthenticateResult.Fail("The Authorization header (or access_token) is not a bearer token.");
        }

        var sessionKey = BearerToken.KeyOf(token);
        var userId = await grains.GetGrain<ISessionGrain>(sessionKey).Authenticate();
        if (userId is null)
        {
            return AuthenticateResult.Fail("The session does not exist, expired or was revoked.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ApiAuth.SubjectClaim, userId), new Claim(ApiAuth.SessionKeyClaim, sessionKey)],
            Scheme.Name,
            ApiAuth.SubjectClaim,
            ApiAuth.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    // Tokens in URLs end up in logs and histories, so only endpoints that need it (WebSocket upgrades) accept one.
    private bool AllowsQueryToken() => Context.GetEndpoint()?.Metadata.Contains(BearerToken.QueryTokenAllowed) == true;

    private bool IsOperatorEndpoint() =>
        Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => data.Policy == ApiAuth.AdminPolicy) == true;

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiResults.WriteAsync(Context, ApiError.Unauthenticated());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiResults.WriteAsync(Context, ApiError.Forbidden());
}
