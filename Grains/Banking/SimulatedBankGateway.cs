using Microsoft.Extensions.Options;

namespace Orleans.Payments.Grains.Banking;

/// <summary>Latency and failure injection for the simulated bank (section <c>Payments:Bank</c>).</summary>
public sealed class SimulatedBankOptions
{
    public const string SectionName = "Payments:Bank";

    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Share of calls that fail with <see cref="BankUnavailableException"/>, 0..1.</summary>
    public double FailureRate { get; set; }
}

/// <summary>An in-process stand-in for the bank: always succeeds unless told to be slow or to fail.</summary>
public sealed class SimulatedBankGateway(IOptions<SimulatedBankOptions> options, TimeProvider time) : IBankGateway
{
    public Task PullAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        SimulateAsync(cancellationToken);

    public Task PayOutAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        SimulateAsync(cancellationToken);

    private async Task SimulateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }

        if (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate)
        {
            throw new BankUnavailableException("The simulated bank failed (failure injection).");
        }
    }
}
