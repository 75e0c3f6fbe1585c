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

    /// <summary>The first this many payouts that reach the bank are refused for good (<c>account_closed</c>).</summary>
    public int RejectFirstPayouts { get; set; }

    /// <summary>
    /// How long the bank takes to answer a payout it has already booked: a caller that dies in between must ask again
    /// with the same key and not be paid twice.
    /// </summary>
    public TimeSpan PayoutAnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// A file where the bank books its payouts, one line each (key, destination, amount, currency), read back at start:
    /// the bank's memory outlives the silo, so tests can count what was paid across a kill. None by default.
    /// </summary>
    public string? JournalPath { get; set; }
}

/// <summary>An in-process stand-in for the bank: always succeeds unless told to be slow or to fail.</summary>
public sealed class SimulatedBankGateway : IBankGateway
{
    private readonly ConcurrentDictionary<string, (string UserId, long Amount)> _paidOut = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string UserId, long Amount)> _pulled = new(StringComparer.Ordinal);
    private readonly IOptions<SimulatedBankOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lock _journal = new();
    private long _calls;
    private long _payoutAttempts;
    private long _payoutsReached;

    public SimulatedBankGateway(IOptions<SimulatedBankOptions> options, TimeProvider time)
    {
        (_options, _time) = (options, time);
        if (options.Value.JournalPath is { } path && File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                // A line cut short by a crash is a payout the bank never confirmed.
                var fields = line.Split('\t');
                if (fields.Length != 4 || !long.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    continue;
                }

                _paidOut.TryAdd(fields[0], (fields[1], long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>Calls that reached the bank (attempts, including failed ones).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    public async Task PullAsync(string userId, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken)
    {
        await SimulateAsync(cancellationToken);
        _pulled.TryAdd(idempotencyKey, (userId, amount));
    }

    /// <summary>Pulls the bank has made, by idempotency key: a repeated key pulls nothing more.</summary>
    public IReadOnlyDictionary<string, (string UserId, long Amount)> Pulled => _pulled;

    /// <summary>Payouts the bank has made, by idempotency key: a repeated key pays nothing more, as at a real bank.</summary>
    public IReadOnlyDictionary<string, (string UserId, long Amount)> PaidOut => _paidOut;

    public async Task PayOutAsync(string destination, long amount, string currency, string idempotencyKey, CancellationToken cancellationToken)
    {
        await SimulateAsync(cancellationToken);
        var settings = _options.Value;
        if (Interlocked.Increment(ref _payoutAttempts) <= settings.FailFirstPayouts)
        {
            throw new BankUnavailableException("The simulated bank failed a payout (failure injection).");
        }

        // A refusal sticks to its key, as at a real bank: asking again is refused again.
        if (_refused.ContainsKey(idempotencyKey)
            || (!_paidOut.ContainsKey(idempotencyKey) && Interlocked.Increment(ref _payoutsReached) <= settings.RejectFirstPayouts && _refused.TryAdd(idempotencyKey, true)))
        {
            throw new BankRejectedException("account_closed", "The simulated bank refused the payout: the account is closed (failure injection).");
        }

        Book(idempotencyKey, destination, amount, currency);
        if (settings.PayoutAnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(settings.PayoutAnswerDelay, _time, cancellationToken);
        }
    }

    private void Book(string idempotencyKey, string destination, long amount, string currency)
    {
        lock (_journal)
        {
            if (_paidOut.TryAdd(idempotencyKey, (destination, amount)) && _options.Value.JournalPath is { } path)
            {
                File.AppendAllText(path, FormattableString.Invariant($"{idempotencyKey}\t{destination}\t{amount}\t{currency}\n"));
            }
        }
    }

    private async Task SimulateAsync(CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        var call = Interlocked.Increment(ref _calls);
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, _time, cancellationToken);
        }

        if (call <= settings.FailFirstCalls || (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate))
        {
            throw new BankUnavailableException("The simulated bank failed (failure injection).");
        }
    }
}
