namespace Payments.ApiFrontend.Apis;

/// <summary>The cluster as Orleans' membership table sees it.</summary>
public sealed record ClusterView(IReadOnlyList<SiloView> Silos)
{
    /// <summary>The API's name for a membership status: joining, active, shutting_down or dead.</summary>
    public static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Created or SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown or SiloStatus.Stopping => "shutting_down",
        _ => "dead",
    };
}

/// <summary>One silo incarnation (address and generation).</summary>
public sealed record SiloView(string Address, long Generation, string Status, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, int Activations);
