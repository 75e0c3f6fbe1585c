using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Payments.Grains.Banking;

/// <summary>Latency and failure injection for the simulated bank (section <c>Payments:Bank</c>).</summary>
public sealed class SimulatedBankOptions
{
    public const string SectionName = "Payments:Bank";

    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Share of calls that fail with <see cref="BankUnavailableException"/>, 0..1.</summary>
    public double FailureRate { get; set; }

    /// <summary>The first this many calls fail, whatever the rate: deterministic failure injection for tests.</summary>
    public int FailFirstCalls { get; set; }

    /// <summary>The first this many payouts fail (deposits still succeed): a bank that cannot pay out for a while.</summary>
    public int FailFirstPayouts { get; set; }
}

/// <summary>An in-process stand-in for the bank: always succeeds unless told to be slow or to fail.</summary>
public sealed class SimulatedBankGateway(IOptions<SimulatedBankOptions> options, TimeProvider time) : IBankGateway
{
    private readonly ConcurrentDictionary<string, (string UserId, long Amount)> _paidOut = new(StringComparer.Ordinal);
    private long _calls;
    private long _payoutAttempts;

    /// <summary>Calls that reached the bank (attempts, including failed ones).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public Task PullAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        SimulateAsync(cancellationToken);

    /// <summary>Payouts the bank has made, by idempotency key: a repeated key pays nothing more, as at a real bank.</summary>
    public IReadOnlyDictionary<string, (string UserId, long Amount)> PaidOut => _paidOut;

    public async Task PayOutAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken)
    {
        await SimulateAsync(cancellationToken);
        if (Interlocked.Increment(ref _payoutAttempts) <= options.Value.FailFirstPayouts)
        {
            throw new BankUnavailableException("The simulated bank failed a payout (failure injection).");
        }

        _paidOut.TryAdd(idempotencyKey, (userId, amount));
    }

    private async Task SimulateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var call = Interlocked.Increment(ref _calls);
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }

        if (call <= settings.FailFirstCalls || (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate))
        {
            throw new BankUnavailableException("The simulated bank failed (failure injection).");
        }
    }
}
