namespace Orleans.Payments.Runtime.Cluster;

/// <summary>A silo's membership status, as stored.</summary>
public static class SiloStatus
{
    public const string Joining = "joining";
    public const string Active = "active";
    public const string ShuttingDown = "shutting_down";
    public const string Dead = "dead";
}

/// <summary>One silo incarnation: its address and the generation (start time) that tells restarts apart.</summary>
public readonly record struct SiloIdentity(string Address, long Generation)
{
    public override string ToString() => $"{Address}@{Generation}";
}

/// <summary>A row of the membership table.</summary>
public sealed record ClusterMember(SiloIdentity Silo, string Status, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, int Activations);

/// <summary>
/// The membership table as read at one version, with the database's clock at that moment: heartbeats are compared
/// with the clock that wrote them, so silos' clock skew does not declare anyone dead.
/// </summary>
public sealed record MembershipSnapshot(long Version, DateTimeOffset DatabaseNow, IReadOnlyList<ClusterMember> Members);
