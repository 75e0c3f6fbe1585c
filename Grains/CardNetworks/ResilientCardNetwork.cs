using Microsoft.Extensions.Logging;
using Payments.Grains.Resilience;
using Polly;

namespace Payments.Grains.CardNetworks;

/// <summary>Retry, timeout and circuit breaker settings for each card network's client (section <c>Payments:CardNetworks:Resilience</c>).</summary>
public sealed class CardNetworkResilienceOptions : OutsideCallOptions
{
    public const string SectionName = "Payments:CardNetworks:Resilience";
}

/// <summary>
/// A network behind its own <see cref="OutsideCallPipeline"/>: one breaker per network, so a network that keeps
/// failing is cut off while the others go on at full speed, and an open breaker answers at once. Provisioning, charges
/// and status changes are retried (keyed or idempotent); verification is not. Whatever still fails surfaces as
/// <see cref="NetworkUnavailableException"/>.
/// </summary>
public sealed class ResilientCardNetwork(ICardNetwork network, OutsideCallOptions settings, TimeProvider time, ILogger logger) : ICardNetwork
{
    private readonly ResiliencePipeline _pipeline = OutsideCallPipeline.Build<NetworkUnavailableException>($"Card network {network.Name}", settings, time, logger);

    public string Name => network.Name;

    public Task<ProvisioningAnswer> ProvisionAsync(ProvisioningRequest request, CancellationToken cancellationToken) =>
        RunAsync(token => network.ProvisionAsync(request, token), cancellationToken);

    public Task<bool> VerifyAsync(string tokenReference, string method, string code, CancellationToken cancellationToken) =>
        RunAsync(token => network.VerifyAsync(tokenReference, method, code, token), cancellationToken, idempotent: false);

    public Task<bool> ChangeAsync(string tokenReference, TokenChange change, CancellationToken cancellationToken) =>
        RunAsync(token => network.ChangeAsync(tokenReference, change, token), cancellationToken);

    public Task<TokenChargeAnswer> ChargeAsync(TokenCharge request, CancellationToken cancellationToken) =>
        RunAsync(token => network.ChargeAsync(request, token), cancellationToken);

    public Task<TokenChargeAnswer> PullAsync(TokenFunds request, CancellationToken cancellationToken) =>
        RunAsync(token => network.PullAsync(request, token), cancellationToken);

    public Task<TokenChargeAnswer> PushAsync(TokenFunds request, CancellationToken cancellationToken) =>
        RunAsync(token => network.PushAsync(request, token), cancellationToken);

    private Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, bool idempotent = true) =>
        _pipeline.ExecuteAsync(call, reason => new NetworkUnavailableException($"The {network.Name} network failed: {reason}."), cancellationToken, idempotent);
}
