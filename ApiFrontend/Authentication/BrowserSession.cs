using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// The web app's session: the same session token as an API client's bearer token, but carried in an HttpOnly,
/// SameSite=Strict cookie that page scripts cannot read, so an injected script cannot steal it. Requests that change
/// something must also carry <c>X-CSRF-Token</c>, a value derived from the token (readable by the app's own pages
/// in a second cookie, never by another site's): SameSite already keeps other sites' requests cookie-less in current
/// browsers, and the header check holds where SameSite does not.
/// </summary>
public static class BrowserSession
{
    /// <summary>The HttpOnly cookie that holds the session token.</summary>
    public const string SessionCookie = "payments_session";

    /// <summary>The cookie scripts of the app read the CSRF token from after a reload.</summary>
    public const string CsrfCookie = "payments_csrf";

    /// <summary>The request header that must repeat the CSRF token on unsafe methods.</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>Claim on a principal authenticated by the cookie: the CSRF token its unsafe requests must carry.</summary>
    public const string CsrfClaim = "csrf";

    /// <summary>The session token of the request's cookie, under the same rules as a bearer token's.</summary>
    public static bool TryRead(HttpRequest request, out string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BearerToken.TryAccept(request.Cookies[SessionCookie], out token);
    }

    /// <summary>
    /// The CSRF token of a session token: a one-way function of it, so knowing it reveals nothing of the session, and
    /// it needs no storage. Distinct from the session grain key (a plain SHA-256 of the token).
    /// </summary>
    public static string CsrfTokenOf(string sessionToken) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("csrf\n" + sessionToken)));

    /// <summary>Sets both cookies after a browser sign-in; returns the CSRF token for the answer's body.</summary>
    public static string Issue(HttpResponse response, string sessionToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var csrf = CsrfTokenOf(sessionToken);
        response.Cookies.Append(SessionCookie, sessionToken, Options(response.HttpContext.Request, httpOnly: true));
        response.Cookies.Append(CsrfCookie, csrf, Options(response.HttpContext.Request, httpOnly: false));
        return csrf;
    }

    /// <summary>Removes both cookies (sign-out).</summary>
    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(SessionCookie, Options(response.HttpContext.Request, httpOnly: true));
        response.Cookies.Delete(CsrfCookie, Options(response.HttpContext.Request, httpOnly: false));
    }

    /// <summary>Whether the caller was authenticated by the cookie rather than an Authorization header.</summary>
    public static bool IsCookieSession(ClaimsPrincipal caller) => caller?.FindFirstValue(CsrfClaim) is not null;

    // Session cookies (no expiry): the server's session lifetime still applies, and closing the browser forgets them.
    private static CookieOptions Options(HttpRequest request, bool httpOnly) => new()
    {
        HttpOnly = httpOnly,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}
