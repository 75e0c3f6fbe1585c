using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Errors;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Scheme "Admin": <c>Authorization: Bearer &lt;Payments:AdminToken&gt;</c>, compared in constant time. With no token
/// configured nothing authenticates here and operator endpoints answer 403 (they are never open).
/// </summary>
public sealed class AdminAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> apiOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private bool Configured => !string.IsNullOrEmpty(apiOptions.CurrentValue.AdminToken);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = apiOptions.CurrentValue.AdminToken;
        if (string.IsNullOrEmpty(expected) || !BearerToken.IsPresent(Request))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!BearerToken.TryRead(Request, out var token) || !BearerToken.FixedTimeEquals(token, expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not the operator token."));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ApiAuth.RoleClaim, ApiAuth.OperatorRole)],
            Scheme.Name,
            ApiAuth.SubjectClaim,
            ApiAuth.RoleClaim);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Configured)
        {
            return ApiResults.WriteAsync(Context, ApiError.Forbidden("Operator endpoints are disabled on this server."));
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiResults.WriteAsync(Context, ApiError.Unauthenticated("The operator token is required."));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiResults.WriteAsync(Context, ApiError.Forbidden());
}
