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
using Payments.Grains.Interfaces.Users;
using Orleans;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Scheme "Session": <c>Authorization: Bearer &lt;token&gt;</c> is looked up in the session grain keyed by the token's
/// SHA-256, on every request, so a revoked session stops working at once. Success gives a principal with
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
public sealed partial class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    FailedAuthenticationLimit failures,
    RefusedSessionCache refused)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, new DebugLevelLoggerFactory(logger), encoder)
{
    // HttpContext.Items key: set when the client network is over its budget, so the challenge answers 429.
    private static readonly object s_retryAfterKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Operator endpoints take the operator token, not sessions: no session lookup for it.
        var fromQuery = !BearerToken.IsPresent(Request) && AllowsQueryToken() && Request.Query.ContainsKey(BearerToken.QueryParameter);
        if ((!BearerToken.IsPresent(Request) && !fromQuery) || IsOperatorEndpoint())
        {
            return AuthenticateResult.NoResult();
        }

        var address = LoginRateLimit.AddressOf(Context);
        if (!failures.MayTry(address, out var retryAfter))
        {
            Context.Items[s_retryAfterKey] = retryAfter;
            return Refuse(address, "rate_limited", "Too many failed authentications from this network.", spend: false);
        }

        if (!(fromQuery ? BearerToken.TryReadQuery(Request, out var token) : BearerToken.TryRead(Request, out token)))
        {
            return Refuse(address, "malformed", "The Authorization header (or access_token) is not a bearer token.");
        }

        if (!SessionTokenFormat.IsWellFormed(token))
        {
            return Refuse(address, "malformed", "The bearer token is not of the shape this service issues.");
        }

        var sessionKey = BearerToken.KeyOf(token);
        if (refused.Contains(sessionKey))
        {
            return Refuse(address, "cached", "The session does not exist, expired or was revoked.");
        }

        var session = await grains.GetGrain<ISessionGrain>(sessionKey).Authenticate();
        if (session is null)
        {
            refused.Add(sessionKey);
            return Refuse(address, "unknown", "The session does not exist, expired or was revoked.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ApiAuth.SubjectClaim, session.UserId),
                new Claim(ApiAuth.SessionKeyClaim, sessionKey),
                new Claim(ApiAuth.SessionExpiresClaim, session.ExpiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            ],
            Scheme.Name,
            ApiAuth.SubjectClaim,
            ApiAuth.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private AuthenticateResult Refuse(string address, string reason, string message, bool spend = true)
    {
        if (spend)
        {
            failures.RecordFailure(address);
        }

        AuthenticationMetrics.Refused(reason);
        LogRefused(Logger, reason, address);
        return AuthenticateResult.Fail(message);
    }

    // Tokens in URLs end up in logs and histories, so only endpoints that need it (WebSocket upgrades) accept one.
    private bool AllowsQueryToken() => Context.GetEndpoint()?.Metadata.Contains(BearerToken.QueryTokenAllowed) == true;

    private bool IsOperatorEndpoint() =>
        Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(data => data.Policy == ApiAuth.AdminPolicy) == true;

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[s_retryAfterKey] is TimeSpan retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ApiResults.WriteAsync(
                Context,
                new ApiError(ErrorCodes.RateLimited, "Too many failed authentications from this network; retry after the time given in Retry-After.", Retryable: true, RetryAfter: seconds));
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiResults.WriteAsync(Context, ApiError.Unauthenticated());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiResults.WriteAsync(Context, ApiError.Forbidden());

    [LoggerMessage(1, LogLevel.Debug, "Bearer token refused ({Reason}) from {Address}")]
    private static partial void LogRefused(ILogger logger, string reason, string address);
}
