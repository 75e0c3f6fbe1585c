using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Resilience;
using Polly;

namespace Payments.Grains.Banking;

/// <summary>Retry, timeout and circuit breaker settings for calls to the bank (section <c>Payments:Bank:Resilience</c>).</summary>
public sealed class BankResilienceOptions : OutsideCallOptions
{
    public const string SectionName = "Payments:Bank:Resilience";
}

/// <summary>
/// The bank behind <see cref="OutsideCallPipeline"/>. Whatever still fails surfaces as
/// <see cref="BankUnavailableException"/>, which the API answers as a retryable 503.
/// </summary>
public sealed class ResilientBankGateway(IBankGateway bank, IOptions<BankResilienceOptions> options, TimeProvider time, ILogger<ResilientBankGateway> logger) : IBankGateway
{
    private readonly ResiliencePipeline _pipeline = OutsideCallPipeline.Build<BankUnavailableException>("Bank", options.Value, time, logger);

    public Task PullAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        ExecuteAsync(token => bank.PullAsync(userId, amount, currency, idempotencyKey, token), cancellationToken);

    public Task PayOutAsync(string destination, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        ExecuteAsync(token => bank.PayOutAsync(destination, amount, currency, idempotencyKey, token), cancellationToken);

    private Task ExecuteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            reason => new BankUnavailableException($"The bank failed: {reason}."),
            cancellationToken);
}
