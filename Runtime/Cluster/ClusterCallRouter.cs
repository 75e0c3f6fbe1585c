using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Transport;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// Sends each call to the silo that owns its grain by rendezvous hashing over the routable silos: on a silo, its own
/// grains (and stateless workers, which every silo serves) go to the local catalog; everything else goes over the
/// silo transport. A silo that cannot be reached is suspected (routed around until the cluster decides) and the call
/// goes to the next owner, a bounded number of times.
/// Used by silos (with a local catalog) and by clients that host no grains (without one).
/// </summary>
internal sealed class ClusterCallRouter(
    ClusterView view,
    SiloIdentity? self,
    ActivationCatalog? local,
    Action<SiloIdentity> suspect,
    SiloConnectionPool connections,
    TimeSpan callTimeout) : IGrainCallRouter
{
    private const int MaxForwardAttempts = 3;

    public void Send(GrainId target, IGrainWorkItem call)
    {
        var owner = view.Placement.Owner(target);
        if (local is not null && (owner is null || owner == self || call is not IRemotableCall || local.ServesLocally(target)))
        {
            local.Send(target, call);
        }
        else if (owner is null || call is not IRemotableCall remotable)
        {
            call.Fail(new SiloUnavailableException($"No active silo can take {target} now; retry shortly."));
        }
        else
        {
            _ = ForwardAsync(owner.Value, target, remotable);
        }
    }

    private async Task ForwardAsync(SiloIdentity owner, GrainId target, IRemotableCall call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await connections.GetAsync(owner.Address).ConfigureAwait(false);
                await call.ForwardAsync(connection, target, callTimeout).ConfigureAwait(false);
                return;
            }
            catch (SiloUnavailableException unavailable)
            {
                // Route around the unreachable silo at once; the cluster declares it dead (or not) in its own time.
                suspect(owner);
                var next = view.Placement.Owner(target);
                if (attempt == MaxForwardAttempts || next is null || (next == self && local is null))
                {
                    call.Fail(unavailable);
                    return;
                }

                if (next == self)
                {
                    local!.Send(target, call);
                    return;
                }

                owner = next.Value;
            }
        }
    }
}
