using Microsoft.Extensions.Caching.Memory;
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

    /// <summary>How many decisions the acquirer remembers by idempotency key (the oldest are forgotten first).</summary>
    public int RememberedDecisions { get; set; } = 100_000;

    /// <summary>How long a decision is remembered: a day, as idempotency records are kept.</summary>
    public TimeSpan DecisionRetention { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// An in-process acquirer driven by Stripe's test card numbers: 4000000000000002 is declined card_declined,
/// …9995 insufficient_funds, …0069 expired_card, …0119 processing_error; any other valid number is approved (unless
/// its expiry has passed). Approvals and final declines are remembered by idempotency key, as at a real acquirer, so
/// a retry gets the first answer; a processing error is transient and is not remembered.
/// </summary>
/// <remarks>
/// The memory is bounded (<see cref="SimulatedAcquirerOptions.RememberedDecisions"/>, for
/// <see cref="SimulatedAcquirerOptions.DecisionRetention"/>): it once kept every decision for the life of the process,
/// a dictionary that grew by one entry a payment (400,000 in a benchmark run). A retry comes within seconds (the
/// resilience pipeline's) or answers from the idempotency record; a key forgotten earlier would be authorized again,
/// as at an acquirer whose key expired. Requests with one key arrive one after another (its idempotency grain and the
/// pipeline's retries are sequential), so looking up and then storing needs no lock.
/// </remarks>
public sealed class SimulatedCardAcquirer(IOptions<SimulatedAcquirerOptions> options, TimeProvider time) : ICardAcquirer, IDisposable
{
    private readonly MemoryCache _decisions = new(new MemoryCacheOptions { SizeLimit = options.Value.RememberedDecisions });
    private long _calls;
    private long _approvals;

    /// <summary>Calls that reached the acquirer (attempts, including failed ones).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Authorizations approved, by idempotency key: a repeated key approves nothing more.</summary>
    public long Approvals => Interlocked.Read(ref _approvals);

    /// <summary>Decisions remembered now.</summary>
    public long Remembered => _decisions.Count;

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

        if (_decisions.TryGetValue(request.IdempotencyKey, out AcquirerDecision? earlier) && earlier is not null)
        {
            return earlier;
        }

        var decision = Decide(request);
        if (decision.DeclineCode != DeclineCodes.ProcessingError)
        {
            _decisions.Set(request.IdempotencyKey, decision, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = settings.DecisionRetention });
            if (decision.Approved)
            {
                Interlocked.Increment(ref _approvals);
            }
        }

        return decision;
    }

    public void Dispose() => _decisions.Dispose();

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
