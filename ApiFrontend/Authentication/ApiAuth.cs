using Microsoft.AspNetCore.Http;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.ApiFrontend.Authentication;

/// <summary>Names of the API's authentication schemes, policies and claims.</summary>
public static class ApiAuth
{
    /// <summary>User sessions: <c>Authorization: Bearer &lt;session token&gt;</c>.</summary>
    public const string SessionScheme = "Session";

    /// <summary>Operators: <c>Authorization: Bearer &lt;Payments:AdminToken&gt;</c>.</summary>
    public const string AdminScheme = "Admin";

    /// <summary>The default scheme: forwards to <see cref="ApiKeyScheme"/> for <c>sk_…</c> tokens, to <see cref="SessionScheme"/> otherwise.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>The scheme a request's bearer token belongs to.</summary>
    public static string SchemeFor(HttpContext context) =>
        BearerToken.TryRead(context.Request, out var token) && ApiKeySecret.LooksLikeKey(token) ? ApiKeyScheme : SessionScheme;

    /// <summary>Merchants: <c>Authorization: Bearer sk_…</c> (an API key).</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>A merchant's API key.</summary>
    public const string MerchantPolicy = "Merchant";

    /// <summary>A merchant's dashboard reads: its API key, or its owner's session (see <see cref="DashboardMerchant"/>).</summary>
    public const string DashboardPolicy = "MerchantDashboard";

    /// <summary>The merchant an API key acts for.</summary>
    public const string MerchantClaim = "merchant";

    /// <summary>A signed-in user (the default policy).</summary>
    public const string UserPolicy = "User";

    /// <summary>An operator.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>The user id.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The session grain's key (the token's SHA-256), so logout needs no second hash; never the token itself.</summary>
    public const string SessionKeyClaim = "sid";

    /// <summary>When the session expires (ISO 8601, UTC): the notification socket opened with it closes then.</summary>
    public const string SessionExpiresClaim = "session_expires";

    /// <summary>
    /// WebSocket close code sent when the socket's session ends (revoked or expired): 4401, "401" in the range
    /// RFC 6455 leaves to applications. The client signs in again and catches up from the inbox.
    /// </summary>
    public const int SessionEndedCloseCode = 4401;

    public const string RoleClaim = "role";

    public const string OperatorRole = "operator";
}
