using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;

namespace Payments.ApiFrontend.RateLimiting;

/// <summary>
/// Rate limits of sign-in (POST /v1/sessions) and registration (POST /v1/users), per client address and per username,
/// on top of the per-caller limit every /v1 request has. They are the framework's partitioned token buckets
/// (<see cref="PartitionedRateLimiter"/>), acquired by the endpoints rather than by the rate limiting middleware
/// because the username is in the body, which the middleware has not read. The address limit is taken before the body
/// is read. A refusal is 429 RATE_LIMITED with Retry-After. IPv6 clients are counted per /64, the block one
/// subscriber usually holds, so rotating addresses inside it does not buy more attempts.
/// </summary>
public sealed class LoginRateLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string> _loginsPerAddress;
    private readonly PartitionedRateLimiter<string> _loginsPerUsername;
    private readonly PartitionedRateLimiter<string> _signupsPerAddress;
    private readonly PartitionedRateLimiter<string> _signupsPerUsername;

    public LoginRateLimit(IOptions<SignInLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _loginsPerAddress = Buckets(limits.LoginsPerAddressPerMinute, TimeSpan.FromMinutes(1));
        _loginsPerUsername = Buckets(limits.LoginsPerUsernamePerMinute, TimeSpan.FromMinutes(1));
        _signupsPerAddress = Buckets(limits.SignupsPerAddressPerHour, TimeSpan.FromHours(1));
        _signupsPerUsername = Buckets(limits.SignupsPerUsernamePerMinute, TimeSpan.FromMinutes(1));
    }

    /// <summary>The options, the limits, and the password strength judge the two endpoints use.</summary>
    public static IServiceCollection AddSignInLimits(IServiceCollection services)
    {
        services.AddOptions<SignInLimitOptions>().BindConfiguration(SignInLimitOptions.SectionName)
            .Validate(
                options => options is { LoginsPerAddressPerMinute: >= 1, LoginsPerUsernamePerMinute: >= 1, SignupsPerAddressPerHour: >= 1, SignupsPerUsernamePerMinute: >= 1 },
                $"{SignInLimitOptions.SectionName}: every per-address and per-username limit must be at least 1.")
            .Validate(options => options.MaxConcurrentPasswordChecks is >= 0 and <= 1_024, $"{SignInLimitOptions.SectionName}:{nameof(SignInLimitOptions.MaxConcurrentPasswordChecks)} must be between 0 (the core count) and 1,024.")
            .ValidateOnStart();
        services.AddSingleton<LoginRateLimit>();
        services.AddSingleton<PasswordStrength>();
        return services;
    }

    public ApiError? LoginFromAddress(HttpContext context) =>
        Acquire(_loginsPerAddress, AddressOf(context), "Too many sign-in attempts from this address");

    public ApiError? LoginAs(Username username) =>
        Acquire(_loginsPerUsername, username.Value, "Too many sign-in attempts for this username");

    public ApiError? SignupFromAddress(HttpContext context) =>
        Acquire(_signupsPerAddress, AddressOf(context), "Too many registrations from this address");

    public ApiError? SignupAs(Username username) =>
        Acquire(_signupsPerUsername, username.Value, "Too many registration attempts for this username");

    public void Dispose()
    {
        _loginsPerAddress.Dispose();
        _loginsPerUsername.Dispose();
        _signupsPerAddress.Dispose();
        _signupsPerUsername.Dispose();
    }

    /// <summary>The client's address; an IPv6 address as its /64 (IPv4 mapped into IPv6 as plain IPv4).</summary>
    public static string AddressOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static ApiError? Acquire(PartitionedRateLimiter<string> limiter, string key, string what)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        return new ApiError(
            ErrorCodes.RateLimited,
            $"{what}; retry in {seconds.ToString(CultureInfo.InvariantCulture)} s.",
            Retryable: true,
            RetryAfter: seconds);
    }

    /// <summary>
    /// A token bucket per key holding <paramref name="permits"/>, refilled one at a time evenly over <paramref name="period"/>.
    /// The partitioned limiter refills its buckets itself and drops those that sat full and idle.
    /// </summary>
    private static PartitionedRateLimiter<string> Buckets(int permits, TimeSpan period) =>
        PartitionedRateLimiter.Create<string, string>(
            key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period / permits,
                QueueLimit = 0,
                AutoReplenishment = false,
            }),
            StringComparer.Ordinal);
}
