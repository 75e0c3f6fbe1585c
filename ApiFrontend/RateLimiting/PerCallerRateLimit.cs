using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.RateLimiting;

/// <summary>
/// The framework rate limiter, one token bucket per caller: the signed-in user, or the client's network
/// (<see cref="LoginRateLimit.AddressOf"/>: IPv6 per /64) for anonymous requests. Rejections are 429 RATE_LIMITED (retryable) with Retry-After.
/// It runs after authentication; requests whose token fails are limited before any lookup by
/// <see cref="FailedAuthenticationLimit"/>.
/// </summary>
public static class PerCallerRateLimit
{
    public const string PolicyName = "per-caller";

    public static void Configure(RateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(PolicyName, Partition);
        options.OnRejected = OnRejectedAsync;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var userId = context.User.FindFirst(ApiAuth.SubjectClaim)?.Value;
        var key = userId is not null ? $"user:{userId}" : $"ip:{LoginRateLimit.AddressOf(context)}";
        var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<ApiOptions>>().CurrentValue.RateLimit;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = settings.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await ApiResults.WriteAsync(
            context.HttpContext,
            new ApiError(ErrorCodes.RateLimited, "Too many requests; retry after the time given in Retry-After.", Retryable: true, RetryAfter: retryAfter));
    }
}
