using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Entries of the grain directory's cache (where other silos' activations are). Orleans' default is 1,000,000, and
    /// its cache-size gauge counts the entries one by one each time metrics are read (the Orleans Dashboard reads them
    /// every second): with a full cache that is milliseconds of CPU a second, and every lookup misses the processor's
    /// caches more. Idempotency keys, most of the entries, are used once, so a smaller cache loses nothing.
    /// Default 100,000.
    /// </summary>
    public int DirectoryCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How often the Orleans Dashboard samples its counters. Each sample walks every activation to count them by type,
    /// which at a few thousand payments a second (three activations each) was half of the telemetry's CPU at Orleans'
    /// default of a second. Default 10 s.
    /// </summary>
    public TimeSpan DashboardSampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Reads the section and checks it before Orleans is configured from it (these values are not options Orleans
    /// validates on its own terms), so a bad value stops the silo with a message naming the setting.
    /// </summary>
    public static SiloRuntimeOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<SiloRuntimeOptions>() ?? new SiloRuntimeOptions();
        var failures = new List<string>();
        if (options.CallTimeout < TimeSpan.FromSeconds(1) || options.CallTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{SectionName}:{nameof(CallTimeout)} must be between 1 second and 10 minutes.");
        }

        if (options.CollectionQuantum < TimeSpan.FromSeconds(1) || options.CollectionQuantum >= TimeSpan.FromSeconds(10))
        {
            failures.Add($"{SectionName}:{nameof(CollectionQuantum)} must be at least 1 second and below the idempotency grains' 10 s collection age.");
        }

        if (options.CollectionAge <= options.CollectionQuantum)
        {
            failures.Add($"{SectionName}:{nameof(CollectionAge)} must be longer than {nameof(CollectionQuantum)}.");
        }

        // Orleans' own grains count against the limit too: a tiny one starves the reminder service.
        if (options.MaxQueuedRequestsPerActivation is < 100 or > 1_000_000)
        {
            failures.Add($"{SectionName}:{nameof(MaxQueuedRequestsPerActivation)} must be between 100 and 1,000,000.");
        }

        if (options.DirectoryCacheSize is < 1_000 or > 10_000_000)
        {
            failures.Add($"{SectionName}:{nameof(DirectoryCacheSize)} must be between 1,000 and 10,000,000.");
        }

        if (options.DashboardSampleInterval < TimeSpan.FromSeconds(1) || options.DashboardSampleInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{SectionName}:{nameof(DashboardSampleInterval)} must be between 1 second and 5 minutes.");
        }

        return failures.Count == 0 ? options : throw new OptionsValidationException(SectionName, typeof(SiloRuntimeOptions), failures);
    }
}
