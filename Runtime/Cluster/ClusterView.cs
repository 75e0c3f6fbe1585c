namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// A process's view of where grains live: the active silos of the latest membership read, minus the silos this
/// process found unreachable (suspected for one death timeout, until the cluster decides). Silos and clients each
/// keep one; they agree whenever they have read the same membership and suspect no one.
/// </summary>
public sealed class ClusterView(TimeSpan suspicionTime, TimeProvider time)
{
    private readonly Dictionary<SiloIdentity, long> _suspectedUntil = [];
    private MembershipSnapshot? _snapshot;
    private volatile RendezvousPlacement _placement = new([]);

    public RendezvousPlacement Placement => _placement;

    /// <summary>Applies a membership read; true when the routable silos changed.</summary>
    public bool Update(MembershipSnapshot snapshot)
    {
        lock (_suspectedUntil)
        {
            _snapshot = snapshot;
            return Recompute();
        }
    }

    /// <summary>Routes around <paramref name="silo"/> for the suspicion time; true when that changed the routable silos.</summary>
    public bool Suspect(SiloIdentity silo)
    {
        lock (_suspectedUntil)
        {
            _suspectedUntil[silo] = time.GetTimestamp() + (long)(suspicionTime.TotalSeconds * time.TimestampFrequency);
            return Recompute();
        }
    }

    private bool Recompute()
    {
        var now = time.GetTimestamp();
        foreach (var expired in _suspectedUntil.Where(pair => pair.Value < now).Select(pair => pair.Key).ToList())
        {
            _suspectedUntil.Remove(expired);
        }

        var active = (_snapshot?.Members ?? [])
            .Where(member => member.Status == SiloStatus.Active && !_suspectedUntil.ContainsKey(member.Silo))
            .Select(member => member.Silo)
            .ToList();
        if (active.SequenceEqual(_placement.Silos))
        {
            return false;
        }

        _placement = new RendezvousPlacement(active);
        return true;
    }
}
