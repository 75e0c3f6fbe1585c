using Microsoft.AspNetCore.Http;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Runs after authentication. A request authenticated by the browser's session cookie must come from this origin
/// when it says where it comes from (<c>Origin</c>; WebSocket upgrades always do), and, unless its method is safe,
/// carry the session's CSRF token in <c>X-CSRF-Token</c>. Otherwise 403 CSRF_REJECTED, before any endpoint runs.
/// Bearer-token callers are not affected: a browser never attaches their token on its own.
/// </summary>
public sealed class BrowserSessionProtection(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.FindFirst(BrowserSession.CsrfClaim)?.Value is { } expected && Refused(context.Request, expected) is { } refusal)
        {
            return ApiResults.WriteAsync(context, new ApiError(ErrorCodes.CsrfRejected, refusal));
        }

        return next(context);
    }

    private static string? Refused(HttpRequest request, string expected)
    {
        var origin = request.Headers.Origin;
        if (origin.Count > 0 && !SameOrigin(request, origin.ToString()))
        {
            return "The request comes from another site.";
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        var presented = request.Headers[BrowserSession.CsrfHeader];
        return presented.Count == 1 && presented[0] is { } value && BearerToken.FixedTimeEquals(value, expected)
            ? null
            : $"A change made with the browser session needs its CSRF token in {BrowserSession.CsrfHeader}.";
    }

    private static bool SameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
