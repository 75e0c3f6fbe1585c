using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Resilience;
using Polly;

namespace Payments.Grains.Commerce.Fulfilment;

/// <summary>Retry, timeout and circuit breaker settings for the fulfilment service (section <c>Payments:Fulfilment:Resilience</c>).</summary>
public sealed class FulfilmentResilienceOptions : OutsideCallOptions
{
    public const string SectionName = "Payments:Fulfilment:Resilience";
}

/// <summary>
/// The fulfilment service behind <see cref="OutsideCallPipeline"/> (every call is idempotent by order id). What still
/// fails surfaces as <see cref="FulfilmentUnavailableException"/>: the saga retries the step later, then compensates.
/// </summary>
public sealed class ResilientFulfilmentService(IFulfilmentService service, IOptions<FulfilmentResilienceOptions> options, TimeProvider time, ILogger<ResilientFulfilmentService> logger) : IFulfilmentService
{
    private readonly ResiliencePipeline _pipeline = OutsideCallPipeline.Build<FulfilmentUnavailableException>("Fulfilment", options.Value, time, logger);

    public Task<string> DeliverAsync(string orderId, IReadOnlyList<OrderLine> lines, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(token => service.DeliverAsync(orderId, lines, token), reason => new FulfilmentUnavailableException($"Fulfilment failed: {reason}."), cancellationToken);

    public Task RevokeAsync(string orderId, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            async token =>
            {
                await service.RevokeAsync(orderId, token);
                return true;
            },
            reason => new FulfilmentUnavailableException($"Revoking the license failed: {reason}."),
            cancellationToken);
}
