using Orleans.Configuration;

namespace Payments.Silo.Hosting;

/// <summary>
/// Failure detection tighter than Orleans' defaults, which declared a SIGKILLed silo dead after about 11 s and a hung
/// (SIGSTOPped) one after about 62 s on this machine: a hung silo keeps its TCP connections open, and Orleans does not
/// suspect a silo it heard from on a live connection within MaxProbeTimeout × NumMissedProbesLimit (60 s by default).
/// Measured with these settings (2 and 3 silos, membership in PostgreSQL): a killed silo was declared dead after
/// 1.3–1.8 s (it refuses connections, so probes fail at once), a hung one after about 6 s (the liveness window of
/// 2 s × 3). Every silo rereads the table every 2 s, which also bounds how long a silo that wakes up after being
/// declared dead runs before it learns so (<see cref="FencingFatalErrorHandler"/> then stops it).
/// </summary>
internal static class MembershipTuning
{
    public static void Apply(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.MaxProbeTimeout = TimeSpan.FromSeconds(2);
        options.NumMissedProbesLimit = 3;
        // With two silos Orleans needs only one vote (a majority of the live ones), with three the direct and the
        // indirect prober vote together.
        options.NumVotesForDeathDeclaration = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);
    }
}
