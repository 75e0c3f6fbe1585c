namespace Payments.Infrastructure.Streams;

/// <summary>Stream delivery settings (section <c>Payments:Streams</c>), for the outbox stream provider.</summary>
public sealed class StreamOptions
{
    public const string SectionName = "Payments:Streams";

    /// <summary>
    /// Whether this silo delivers. A silo that does not still appends events (producers write them with their changes)
    /// but its pulling agents read nothing and move no checkpoint. Orleans still gives it its share of the partitions,
    /// so those wait until it is turned back on or leaves: set it the same on every silo of a cluster (the transfers
    /// benchmark turns it off everywhere to measure the ledger path alone). Default true.
    /// </summary>
    public bool Deliver { get; set; } = true;

    /// <summary>
    /// Streams are hashed into this many partitions, one Orleans queue each; one silo at a time reads a partition, in
    /// order. Every silo of a cluster must use the same count; change it only with the cluster stopped and every
    /// partition delivered. Default 4.
    /// </summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Most events read from a partition at once. Default 512.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>
    /// Reads of a partition that may wait in its queue cache for their consumers (the cache holds
    /// <see cref="BatchSize"/> times this many events): a slow consumer delays only its own stream until the cache is
    /// full, then the partition waits for it. Default 4.
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = 4;

    /// <summary>
    /// How often a partition with nothing new is read again (the pulling agents' period; while events come, reads
    /// follow each other at once). It bounds how late an event is seen at low load: 50 ms costs each silo 20 indexed,
    /// usually empty reads per owned partition a second, where Orleans' 100 ms default would add 50 ms on average to
    /// every "payment received". Default 50 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long the pulling agent retries a delivery before it gives up: then a batch of several events is retried one
    /// event at a time (each for as long again), and an event that still fails goes to the dead-letter table while its
    /// stream goes on. It must outlast a silo's death and a grain's move (membership declares a silo dead within 15 s,
    /// and a call to it may time out after 30 s), or events whose consumer was merely unreachable are dead-lettered.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan MaxDeliveryTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Wait before the first retry of a delivery or a read; doubled after each failure up to <see cref="MaxRetryBackoff"/>. Default 100 ms.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between retries. Default 2 s.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Delivered events stay in the outbox at least this long, for audits and for replaying them by hand (a consumer
    /// added later receives only events read after it exists). Default 7 days.
    /// </summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each silo deletes delivered events the retention lets go. Default 10 minutes.</summary>
    public TimeSpan OutboxTrimInterval { get; set; } = TimeSpan.FromMinutes(10);
}
