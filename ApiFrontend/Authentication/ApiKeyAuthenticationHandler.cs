using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Scheme "ApiKey": <c>Authorization: Bearer sk_…</c>. The key's grain (by its public prefix) compares the secret's
/// SHA-256 in constant time on every request, so a revoked key stops at once. Success gives a principal with
/// <c>sub</c> = the key's id (so the per-caller rate limit is per key) and <c>merchant</c> = the merchant's id.
/// A key not of the issued shape is refused without any lookup.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    FailedAuthenticationLimit failures)
    : BearerAuthenticationHandler(options, logger, encoder, failures)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerToken.TryRead(Request, out var token) || !ApiKeySecret.LooksLikeKey(token))
        {
            return AuthenticateResult.NoResult();
        }

        var (address, overBudget) = CheckBudget();
        if (overBudget is not null)
        {
            return overBudget;
        }

        if (!ApiKeySecret.IsWellFormed(token))
        {
            return Refuse(address, "malformed", "The API key is not of the shape this service issues.");
        }

        var identity = await grains.Reference<IApiKeyGrain>(ApiKeySecret.PrefixOf(token)).Authenticate(ApiKeySecret.Hash(token));
        if (identity is null)
        {
            return Refuse(address, "unknown", "The API key does not exist, was revoked or has expired.");
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ApiAuth.SubjectClaim, identity.KeyId), new Claim(ApiAuth.MerchantClaim, identity.MerchantId)],
            Scheme.Name,
            ApiAuth.SubjectClaim,
            ApiAuth.RoleClaim));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
