namespace Orleans.Payments.Runtime.Cluster;

/// <summary>Cluster membership settings (section <c>Payments:Cluster</c>).</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Payments:Cluster";

    /// <summary>Silos with the same id form one cluster. Default "dev".</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The host other silos and clients reach this silo at. Default 127.0.0.1.</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>How often a silo writes its heartbeat and looks for silent ones. Default 2 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A silo whose heartbeat is older than this is declared dead. Default 10 s.</summary>
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
