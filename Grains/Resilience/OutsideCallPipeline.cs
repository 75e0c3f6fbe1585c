using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Payments.Grains.Resilience;

/// <summary>
/// The Polly pipeline in front of an outside party: a circuit breaker that stops hammering a party that keeps
/// failing, retries with backoff and jitter (safe: every call carries its idempotency key), and a timeout per attempt.
/// <typeparamref name="TUnavailable"/> is the party's own "did not answer" exception, retried like a timeout. A call
/// that is not idempotent (<c>idempotent: false</c>) goes through the same breaker and timeout but is never retried.
/// </summary>
public static class OutsideCallPipeline
{
    private static readonly ResiliencePropertyKey<bool> s_notIdempotent = new("payments.not-idempotent");

    public static ResiliencePipeline Build<TUnavailable>(string party, OutsideCallOptions settings, TimeProvider time, ILogger logger)
        where TUnavailable : Exception
    {
        ArgumentNullException.ThrowIfNull(settings);
        var transient = new PredicateBuilder().Handle<TUnavailable>().Handle<TimeoutRejectedException>();
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
                    logger.LogWarning("{Party} circuit opened for {BreakDuration}: too many failures", party, settings.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            });
        if (settings.MaxRetries > 0)
        {
            Func<RetryPredicateArguments<object>, ValueTask<bool>> retryable = transient;
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = arguments => arguments.Context.Properties.GetValue(s_notIdempotent, false) ? PredicateResult.False() : retryable(arguments),
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        return builder.AddTimeout(settings.AttemptTimeout).Build();
    }

    /// <summary>Runs the call; what still fails after the pipeline comes out as the reason it failed (open circuit or timeout), for the caller to wrap.</summary>
    public static async Task<T> ExecuteAsync<T>(
        this ResiliencePipeline pipeline, Func<CancellationToken, Task<T>> call, Func<string, Exception> unavailable, CancellationToken cancellationToken, bool idempotent = true)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(unavailable);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(s_notIdempotent, !idempotent);
        try
        {
            return await pipeline.ExecuteAsync(async (resilience, _) => await call(resilience.CancellationToken).ConfigureAwait(false), context, 0).ConfigureAwait(false);
        }
        catch (BrokenCircuitException open)
        {
            throw unavailable($"calls are paused after repeated failures ({open.Message})");
        }
        catch (TimeoutRejectedException)
        {
            throw unavailable("it did not answer in time");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
