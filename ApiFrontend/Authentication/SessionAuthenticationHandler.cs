using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.RateLimiting;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Users;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Scheme "Session": <c>Authorization: Bearer &lt;token&gt;</c> (or the web app's cookie, <see cref="BrowserSession"/>) names
/// the session keyed by the token's SHA-256. A session this front end found live in the last
/// <see cref="SessionAuthenticationOptions.AcceptedSessionCacheTime"/> is accepted from memory while revocations are
/// heard (<see cref="AcceptedSessionCache"/>); otherwise the session grain is asked. Success gives a principal with
/// <c>sub</c> = user id. Challenge: 401 UNAUTHENTICATED; forbid: 403 FORBIDDEN (JSON).
/// <para>
/// Refusing costs as little as possible, in this order: a client network that has spent its failed-authentication
/// budget gets 429 with Retry-After before anything else (<see cref="FailedAuthenticationLimit"/>); a token that is
/// not of the issued shape (<see cref="SessionTokenFormat"/>) is refused without any I/O; a session key refused in
/// the last minute is refused from memory (<see cref="RefusedSessionCache"/>); only then is the session grain asked,
/// and an activation that finds no live session is collected at once. Each refusal spends one unit of the budget,
/// logs at Debug and counts in <see cref="AuthenticationMetrics"/>.
/// </para>
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    FailedAuthenticationLimit failures,
    RefusedSessionCache refused,
    AcceptedSessionCache accepted)
    : BearerAuthenticationHandler(options, logger, encoder, failures)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Operator endpoints take the operator token, and API keys have their own scheme: no session lookup for either.
        var fromQuery = !BearerToken.IsPresent(Request) && AllowsQueryToken() && Request.Query.ContainsKey(BearerToken.QueryParameter);
        // The cookie goes with every request of the browser, the web app's files too: only API requests look it up.
        var fromCookie = !BearerToken.IsPresent(Request) && !fromQuery && Request.Path.StartsWithSegments("/v1")
            && Request.Cookies.ContainsKey(BrowserSession.SessionCookie);
        if ((!BearerToken.IsPresent(Request) && !fromQuery && !fromCookie) || IsOperatorEndpoint() || (BearerToken.TryRead(Request, out var header) && ApiKeySecret.LooksLikeKey(header)))
        {
            return AuthenticateResult.NoResult();
        }

        var (address, overBudget) = CheckBudget();
        if (overBudget is not null)
        {
            return overBudget;
        }

        var read = fromCookie ? BrowserSession.TryRead(Request, out var token)
            : fromQuery ? BearerToken.TryReadQuery(Request, out token)
            : BearerToken.TryRead(Request, out token);
        if (!read)
        {
            return Refuse(address, "malformed", "The Authorization header (or access_token, or session cookie) is not a bearer token.");
        }

        if (!SessionTokenFormat.IsWellFormed(token))
        {
            return Refuse(address, "malformed", "The bearer token is not of the shape this service issues.");
        }

        var sessionKey = SessionTokenFormat.KeyOf(token);
        if (refused.Contains(sessionKey))
        {
            return Refuse(address, "cached", "The session does not exist, expired or was revoked.");
        }

        if (!accepted.TryGet(sessionKey, out var session))
        {
            var revocationsSeen = accepted.Revocations;
            session = await grains.Reference<ISessionGrain>(sessionKey).Authenticate();
            if (session is null)
            {
                refused.Add(sessionKey);
                return Refuse(address, "unknown", "The session does not exist, expired or was revoked.");
            }

            accepted.Add(sessionKey, session, revocationsSeen);
        }

        List<Claim> claims =
        [
            new Claim(ApiAuth.SubjectClaim, session.UserId),
            new Claim(ApiAuth.SessionKeyClaim, sessionKey),
            new Claim(ApiAuth.SessionExpiresClaim, session.ExpiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        ];
        if (fromCookie)
        {
            // BrowserSessionProtection holds the cookie's unsafe requests to this token.
            claims.Add(new Claim(BrowserSession.CsrfClaim, BrowserSession.CsrfTokenOf(token)));
        }

        var identity = new ClaimsIdentity(
            claims,
            Scheme.Name,
            ApiAuth.SubjectClaim,
            ApiAuth.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    // Tokens in URLs end up in logs and histories, so only endpoints that need it (WebSocket upgrades) accept one.
    private bool AllowsQueryToken() => Context.GetEndpoint()?.Metadata.Contains(BearerToken.QueryTokenAllowed) == true;

    private bool IsOperatorEndpoint() =>
        Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => data.Policy == ApiAuth.AdminPolicy) == true;
}
