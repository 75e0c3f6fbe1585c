using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Payments.Grains.Banking;

/// <summary>Retry, timeout and circuit breaker settings for calls to the bank (section <c>Payments:Bank:Resilience</c>).</summary>
public sealed class BankResilienceOptions
{
    public const string SectionName = "Payments:Bank:Resilience";

    /// <summary>Each attempt is abandoned after this. Default 2 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a failed attempt (same idempotency key, so the bank applies the call once). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones back off exponentially with jitter. Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Share of failed calls within the sampling window that opens the circuit. Default 0.5.</summary>
    public double BreakFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the window before the circuit may open. Default 10.</summary>
    public int BreakMinimumCalls { get; set; } = 10;

    /// <summary>While open, calls fail at once for this long. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The bank behind Polly: each call retried with backoff (safe: every call carries its idempotency key), each
/// attempt bounded by a timeout, and a circuit breaker that stops hammering a bank that keeps failing. Whatever
/// still fails surfaces as <see cref="BankUnavailableException"/>, which the API answers as a retryable 503.
/// </summary>
public sealed class ResilientBankGateway : IBankGateway
{
    private readonly IBankGateway _bank;
    private readonly ResiliencePipeline _pipeline;

    public ResilientBankGateway(IBankGateway bank, IOptions<BankResilienceOptions> options, TimeProvider time, ILogger<ResilientBankGateway> logger)
    {
        _bank = bank;
        var settings = options.Value;
        var transient = new PredicateBuilder().Handle<BankUnavailableException>().Handle<TimeoutRejectedException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = settings.BreakFailureRatio,
                MinimumThroughput = settings.BreakMinimumCalls,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = settings.BreakDuration,
                OnOpened = _ =>
                {
                    logger.LogWarning("Bank circuit opened for {BreakDuration}: too many failures", settings.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            });
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        _pipeline = builder
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    public Task PullAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        ExecuteAsync(token => _bank.PullAsync(userId, amount, currency, idempotencyKey, token), cancellationToken);

    public Task PayOutAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        ExecuteAsync(token => _bank.PayOutAsync(userId, amount, currency, idempotencyKey, token), cancellationToken);

    private async Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException open)
        {
            throw new BankUnavailableException($"The bank is failing; calls are paused ({open.Message}).");
        }
        catch (TimeoutRejectedException)
        {
            throw new BankUnavailableException("The bank did not answer in time.");
        }
    }
}
