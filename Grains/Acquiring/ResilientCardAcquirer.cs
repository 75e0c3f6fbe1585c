using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Resilience;
using Polly;

namespace Payments.Grains.Acquiring;

/// <summary>Retry, timeout and circuit breaker settings for calls to the acquirer (section <c>Payments:Acquirer:Resilience</c>).</summary>
public sealed class AcquirerResilienceOptions : OutsideCallOptions
{
    public const string SectionName = "Payments:Acquirer:Resilience";
}

/// <summary>
/// The acquirer behind <see cref="OutsideCallPipeline"/>: each retry sends the same idempotency key, so the network
/// authorizes once however often it is asked. Whatever still fails surfaces as <see cref="AcquirerUnavailableException"/>
/// (a retryable 503: the client retries with its Idempotency-Key and gets the one authorization).
/// </summary>
public sealed class ResilientCardAcquirer(ICardAcquirer acquirer, IOptions<AcquirerResilienceOptions> options, TimeProvider time, ILogger<ResilientCardAcquirer> logger) : ICardAcquirer
{
    private readonly ResiliencePipeline _pipeline = OutsideCallPipeline.Build<AcquirerUnavailableException>("Acquirer", options.Value, time, logger);

    public Task<AcquirerDecision> AuthorizeAsync(CardAuthorization request, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            token => acquirer.AuthorizeAsync(request, token),
            reason => new AcquirerUnavailableException($"The acquirer failed: {reason}."),
            cancellationToken);
}
