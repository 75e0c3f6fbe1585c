using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Payments.Grains.Acquiring;

/// <summary>Latency and failure injection for the simulated acquirer (section <c>Payments:Acquirer</c>).</summary>
public sealed class SimulatedAcquirerOptions
{
    public const string SectionName = "Payments:Acquirer";

    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>Share of calls that fail with <see cref="AcquirerUnavailableException"/>, 0..1.</summary>
    public double FailureRate { get; set; }

    /// <summary>The first this many calls fail, whatever the rate: deterministic failure injection for tests.</summary>
    public int FailFirstCalls { get; set; }
}

/// <summary>
/// An in-process acquirer driven by Stripe's test card numbers: 4000000000000002 is declined card_declined,
/// …9995 insufficient_funds, …0069 expired_card, …0119 processing_error; any other valid number is approved (unless
/// its expiry has passed). Approvals and final declines are remembered by idempotency key, as at a real acquirer, so
/// a retry gets the first answer; a processing error is transient and is not remembered.
/// </summary>
public sealed class SimulatedCardAcquirer(IOptions<SimulatedAcquirerOptions> options, TimeProvider time) : ICardAcquirer
{
    private readonly ConcurrentDictionary<string, AcquirerDecision> _decisions = new(StringComparer.Ordinal);
    private long _calls;

    /// <summary>Calls that reached the acquirer (attempts, including failed ones).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Authorizations approved, by idempotency key: a repeated key approves nothing more.</summary>
    public int Approvals => _decisions.Values.Count(decision => decision.Approved);

    public async Task<AcquirerDecision> AuthorizeAsync(CardAuthorization request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var call = Interlocked.Increment(ref _calls);
        if (settings.Latency > TimeSpan.Zero)
        {
            await Task.Delay(settings.Latency, time, cancellationToken);
        }

        if (call <= settings.FailFirstCalls || (settings.FailureRate > 0 && Random.Shared.NextDouble() < settings.FailureRate))
        {
            throw new AcquirerUnavailableException("The simulated acquirer failed (failure injection).");
        }

        if (_decisions.TryGetValue(request.IdempotencyKey, out var earlier))
        {
            return earlier;
        }

        var decision = Decide(request);
        return decision.DeclineCode == DeclineCodes.ProcessingError ? decision : _decisions.GetOrAdd(request.IdempotencyKey, decision);
    }

    private AcquirerDecision Decide(CardAuthorization request)
    {
        var today = time.GetUtcNow();
        if (request.ExpYear < today.Year || (request.ExpYear == today.Year && request.ExpMonth < today.Month))
        {
            return AcquirerDecision.Decline(DeclineCodes.ExpiredCard);
        }

        return request.Number switch
        {
            "4000000000000002" => AcquirerDecision.Decline(DeclineCodes.CardDeclined),
            "4000000000009995" => AcquirerDecision.Decline(DeclineCodes.InsufficientFunds),
            "4000000000000069" => AcquirerDecision.Decline(DeclineCodes.ExpiredCard),
            "4000000000000119" => AcquirerDecision.Decline(DeclineCodes.ProcessingError),
            _ => AcquirerDecision.Approve(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))),
        };
    }
}
