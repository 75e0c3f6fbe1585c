using System.Security.Claims;

namespace Payments.ApiFrontend.Authentication;

/// <summary>Who the audit log names for a request: the API key (<c>api_key:key_…</c>) or the signed-in user (<c>user:…</c>).</summary>
public static class CallerActor
{
    public static string Of(ClaimsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.FindFirstValue(ApiAuth.MerchantClaim) is null ? $"user:{caller.UserId()}" : $"api_key:{caller.FindFirstValue(ApiAuth.SubjectClaim)}";
    }

    public static bool IsApiKey(ClaimsPrincipal caller) => caller?.FindFirstValue(ApiAuth.MerchantClaim) is not null;
}
