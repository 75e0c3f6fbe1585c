namespace Orleans.Payments.Runtime.Hosting;

/// <summary>Limits and timings of the grain runtime. Bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class GrainRuntimeOptions
{
    public const string SectionName = "Payments:Runtime";

    /// <summary>A call not answered within this time fails with <see cref="GrainCallTimeoutException"/>. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often queued and running calls are checked against <see cref="CallTimeout"/>. Default 1 s.</summary>
    public TimeSpan CallTimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An activation idle for this long is collected. Default 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often idle activations are looked for. Default 10 s: short-lived grains (one per idempotency key) must go
    /// soon after their age, or a busy silo holds hundreds of thousands of them. A sweep reads each activation once.
    /// </summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long shutdown waits for all activations to deactivate. Default 30 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Calls queued on one activation beyond this are refused with <see cref="GrainOverloadedException"/>. Default 10,000.</summary>
    public int MaxQueuedRequestsPerActivation { get; set; } = 10_000;
}
