using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Transport;

namespace Orleans.Payments.Runtime.Cluster;

/// <summary>
/// Sends each call to the silo that owns its grain by rendezvous hashing over the active silos: here, to the local
/// catalog; elsewhere, over the silo transport. A silo that cannot be reached is suspected (this silo routes around it
/// until the cluster decides) and the call goes to the next owner, a bounded number of times.
/// </summary>
internal sealed class ClusterCallRouter(
    ActivationCatalog catalog,
    MembershipService membership,
    SiloConnectionPool connections,
    IOptions<GrainRuntimeOptions> runtime) : IGrainCallRouter
{
    private const int MaxForwardAttempts = 3;

    public void Send(GrainId target, IGrainWorkItem call)
    {
        var owner = membership.Placement.Owner(target);
        if (owner is null || owner == membership.Self || call is not IRemotableCall remotable)
        {
            catalog.Send(target, call);
            return;
        }

        _ = ForwardAsync(owner.Value, target, remotable);
    }

    private async Task ForwardAsync(SiloIdentity owner, GrainId target, IRemotableCall call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await connections.GetAsync(owner.Address).ConfigureAwait(false);
                await call.ForwardAsync(connection, target, runtime.Value.CallTimeout).ConfigureAwait(false);
                return;
            }
            catch (SiloUnavailableException unavailable)
            {
                if (attempt == MaxForwardAttempts)
                {
                    call.Fail(unavailable);
                    return;
                }

                // Route around the unreachable silo at once; the cluster declares it dead (or not) in its own time.
                membership.Suspect(owner);
                if (membership.Placement.Owner(target) is not { } next || next == membership.Self)
                {
                    catalog.Send(target, call);
                    return;
                }

                owner = next;
            }
        }
    }
}
