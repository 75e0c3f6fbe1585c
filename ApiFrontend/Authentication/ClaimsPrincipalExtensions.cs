using System.Globalization;
using System.Security.Claims;

namespace Payments.ApiFrontend.Authentication;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id. Endpoints behind the User policy always have it.</summary>
    public static string UserId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirstValue(ApiAuth.SubjectClaim) ?? throw new InvalidOperationException("The request has no authenticated user.");
    }

    /// <summary>The merchant an API key acts for.</summary>
    public static string MerchantId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirstValue(ApiAuth.MerchantClaim) ?? throw new InvalidOperationException("The request has no API key.");
    }

    /// <summary>The caller's session grain key.</summary>
    public static string SessionKey(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirstValue(ApiAuth.SessionKeyClaim) ?? throw new InvalidOperationException("The request has no session.");
    }

    /// <summary>When the caller's session expires.</summary>
    public static DateTimeOffset SessionExpiresAt(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var value = principal.FindFirstValue(ApiAuth.SessionExpiresClaim) ?? throw new InvalidOperationException("The request has no session.");
        return DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }
}
