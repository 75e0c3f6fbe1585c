namespace Payments.Infrastructure.Streams;

/// <summary>Stream delivery settings (section <c>Payments:Streams</c>).</summary>
public sealed class StreamOptions
{
    public const string SectionName = "Payments:Streams";

    /// <summary>
    /// Whether this silo takes partition leases and delivers. A silo that does not still appends events (producers
    /// write them with their changes); other silos deliver them, or this one once it is turned back on. Default true.
    /// </summary>
    public bool Deliver { get; set; } = true;

    /// <summary>
    /// Streams are hashed into this many partitions; one silo at a time delivers a partition, in order. Every silo of a
    /// cluster must use the same count; change it only with the cluster stopped and every partition delivered. Default 4.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Most events read and delivered per partition per round. Default 512.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// Batches of a partition being delivered at once: the pump reads the next batch while earlier ones are still with
    /// their subscribers (each subscriber still gets its events in order). Default 4.
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = 4;

    /// <summary>How often a partition is read when no notification arrives (the fallback for lost notifications). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a silo tries to take partitions no one holds (after a silo died or left). Default 2 s.</summary>
    public TimeSpan LeaseCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Failed deliveries of an event to one subscriber before it goes to the dead-letter table. Default 5. Failures of
    /// the cluster rather than the grain (<c>SiloUnavailableException</c>, <c>GrainOverloadedException</c>, a connection
    /// that broke mid-call: <c>GrainCallOutcomeUnknownException</c>) do not count:
    /// they are retried every <see cref="MaxRetryBackoff"/> until the grain is reachable.
    /// </summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; doubled after each failure up to <see cref="MaxRetryBackoff"/>. Default 100 ms.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between retries. Default 2 s.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Delivered events stay in the outbox at least this long (for audits, and for a subscriber added later, which
    /// starts from what is still there). Default 7 days.
    /// </summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each silo deletes events every consumer has delivered and the retention lets go. Default 10 minutes.</summary>
    public TimeSpan OutboxTrimInterval { get; set; } = TimeSpan.FromMinutes(10);
}
