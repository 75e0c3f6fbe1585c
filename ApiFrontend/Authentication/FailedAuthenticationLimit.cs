using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// A token bucket per client network (<see cref="RateLimiting.LoginRateLimit.AddressOf"/>: IPv6 per /64) that only failed authentications
/// spend: a malformed, unknown, expired or revoked bearer token. While a network's bucket is empty, every bearer token
/// it presents is refused with 429 before any lookup, so a flood of made-up tokens costs no grain call and no query.
/// Requests that authenticate spend nothing.
/// </summary>
public sealed class FailedAuthenticationLimit : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedAuthenticationLimit(IOptions<SessionAuthenticationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.FailureBurst,
            TokensPerPeriod = settings.FailuresPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Whether <paramref name="address"/> may present a token now (one failure left to spend); when not, how long until it may.</summary>
    public bool MayTry(string address, out TimeSpan retryAfter)
    {
        // Reads the bucket without spending: a whole permit must be left (the bucket refills continuously, so asking for
        // zero permits would succeed on any fraction of one). One arrives within a second, as the rate is at least 1/s.
        var available = _limiter.GetStatistics(address)?.CurrentAvailablePermits ?? 1;
        retryAfter = available >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds(1);
        return available >= 1;
    }

    /// <summary>Spends one failure of <paramref name="address"/>'s budget (nothing happens when it is already empty).</summary>
    public void RecordFailure(string address)
    {
        using var lease = _limiter.AttemptAcquire(address, 1);
    }

    public void Dispose() => _limiter.Dispose();
}
