namespace Payments.Grains.Resilience;

/// <summary>Retry, timeout and circuit breaker settings for calls to an outside party (the bank, the card acquirer).</summary>
public class OutsideCallOptions
{
    /// <summary>Each attempt is abandoned after this. Default 2 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries after a failed attempt (same idempotency key, so the party applies the call once). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones back off exponentially with jitter. Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Share of failed calls within the sampling window that opens the circuit. Default 0.5.</summary>
    public double BreakFailureRatio { get; set; } = 0.5;

    /// <summary>Calls in the window before the circuit may open. Default 10.</summary>
    public int BreakMinimumCalls { get; set; } = 10;

    /// <summary>While open, calls fail at once for this long. Default 5 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the settings make sense; the message says what does not.</summary>
    public string? Problem() =>
        MaxRetries is < 0 or > 10 ? "MaxRetries is between 0 and 10."
        : BreakFailureRatio is <= 0 or > 1 ? "BreakFailureRatio is in (0, 1]."
        : BreakMinimumCalls < 2 ? "BreakMinimumCalls is at least 2."
        : AttemptTimeout <= TimeSpan.Zero || BreakDuration < TimeSpan.FromMilliseconds(500) ? "AttemptTimeout must be positive and BreakDuration at least 0.5 s."
        : null;
}
