namespace Payments.Infrastructure.Cluster;

/// <summary>Where a silo or front end finds its cluster (section <c>Payments:Cluster</c>).</summary>
public sealed class PaymentsClusterOptions
{
    public const string SectionName = "Payments:Cluster";

    /// <summary>Orleans' service id: the same for every deployment of this product, so stored state and reminders survive a new ClusterId.</summary>
    public const string ServiceId = "payments";

    /// <summary>ADO.NET invariant name of the PostgreSQL provider, as Orleans' clustering, reminders and storage expect it.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>Silos (and front ends) with the same id form one cluster. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The host other silos and clients reach this silo at (an IP address or a resolvable name). Default 127.0.0.1.</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (separate front ends) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How long a separate front end waits for a grain's answer before it answers 503 (retryable, same
    /// Idempotency-Key). Orleans' client does not fail calls already sent to a silo that dies (only new ones), so this
    /// bounds how long such a request hangs. Default 10 s (Orleans' default: 30 s).
    /// </summary>
    public TimeSpan ClientCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
