namespace Payments.Silo.Hosting;

/// <summary>Orleans runtime settings an operator may change (section <c>Payments:Runtime</c>); mapped onto Orleans' own options.</summary>
public sealed class SiloRuntimeOptions
{
    public const string SectionName = "Payments:Runtime";

    /// <summary>A grain call not answered in time fails (503 retryable at the API). Default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle activations are deactivated after this. Default 15 minutes.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for; below every grain's own collection age (idempotency keys: 10 s). Default 5 s.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Requests queued at one activation beyond which further calls are refused at once (Orleans' hard limit, off by
    /// default there): a hot grain then answers 503 instead of building an unbounded queue. Default 10,000.
    /// </summary>
    public int MaxQueuedRequestsPerActivation { get; set; } = 10_000;
}
