using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.RateLimiting;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// What the bearer schemes (sessions, API keys) share: a client network over its failed-authentication budget is
/// refused with 429 and Retry-After before any lookup (<see cref="FailedAuthenticationLimit"/>); each refusal spends
/// one unit of the budget, logs at Debug and counts in <see cref="AuthenticationMetrics"/>. Challenge: 401
/// UNAUTHENTICATED; forbid: 403 FORBIDDEN (JSON).
/// </summary>
public abstract partial class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    FailedAuthenticationLimit failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, new DebugLevelLoggerFactory(logger), encoder)
{
    // HttpContext.Items key: set when the client network is over its budget, so the challenge answers 429.
    private static readonly object s_retryAfterKey = new();

    /// <summary>The client's network, or a refusal when it has spent its failed-authentication budget.</summary>
    protected (string Address, AuthenticateResult? Refused) CheckBudget()
    {
        var address = LoginRateLimit.AddressOf(Context);
        if (failures.MayTry(address, out var retryAfter))
        {
            return (address, null);
        }

        Context.Items[s_retryAfterKey] = retryAfter;
        return (address, Refuse(address, "rate_limited", "Too many failed authentications from this network.", spend: false));
    }

    protected AuthenticateResult Refuse(string address, string reason, string message, bool spend = true)
    {
        if (spend)
        {
            failures.RecordFailure(address);
        }

        AuthenticationMetrics.Refused(reason);
        LogRefused(Logger, Scheme.Name, reason, address);
        return AuthenticateResult.Fail(message);
    }

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

    [LoggerMessage(1, LogLevel.Debug, "{Scheme} bearer token refused ({Reason}) from {Address}")]
    private static partial void LogRefused(ILogger logger, string scheme, string reason, string address);
}
