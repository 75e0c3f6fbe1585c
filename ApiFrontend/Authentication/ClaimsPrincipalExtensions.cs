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

    /// <summary>The caller's session grain key.</summary>
    public static string SessionKey(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirstValue(ApiAuth.SessionKeyClaim) ?? throw new InvalidOperationException("The request has no session.");
    }
}
