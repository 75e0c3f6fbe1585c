namespace Payments.Grains.Commerce;

/// <summary>Products and order sagas (section <c>Payments:Commerce</c>).</summary>
public sealed class CommerceOptions
{
    public const string SectionName = "Payments:Commerce";

    /// <summary>How long a worker serves a listing from memory. Default 1 s; zero reads the rows every time.</summary>
    public TimeSpan ListingCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts of a forward step that fails for a retryable reason before the saga compensates. Default 5.</summary>
    public int StepAttempts { get; set; } = 5;

    /// <summary>Attempts of a compensation before the order goes to the operator queue. Default 5.</summary>
    public int CompensationAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; each next one doubles, with up to 20 % jitter, up to <see cref="MaxRetryDelay"/>. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The reminder that resumes a saga its silo left unfinished (a crash between two steps). Default 1 min; Orleans
    /// reminders tick at this period while the order is not final.
    /// </summary>
    public TimeSpan ResumePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failure injection for drills and tests: saga steps (see <c>SagaSteps</c>) that fail with a retryable error every
    /// time, e.g. <c>capture_payment</c> or <c>void_payment</c>. Empty in production.
    /// </summary>
    public IList<string> FailSteps { get; } = [];

    public string? Problem() =>
        ListingCacheDuration < TimeSpan.Zero || ListingCacheDuration > TimeSpan.FromMinutes(1) ? "ListingCacheDuration is between 0 and 1 minute."
        : StepAttempts is < 1 or > 100 || CompensationAttempts is < 1 or > 100 ? "StepAttempts and CompensationAttempts are between 1 and 100."
        : RetryDelay < TimeSpan.FromMilliseconds(10) || MaxRetryDelay < RetryDelay || MaxRetryDelay > TimeSpan.FromDays(1) ? "RetryDelay is at least 10 ms and MaxRetryDelay between it and 1 day."
        : ResumePeriod < TimeSpan.FromSeconds(1) ? "ResumePeriod is at least 1 s."
        : FailSteps.FirstOrDefault(step => !Interfaces.Commerce.SagaSteps.All.Contains(step)) is { } unknown ? $"FailSteps names an unknown step: {unknown}."
        : null;
}
