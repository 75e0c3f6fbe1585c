using Payments.Infrastructure.Placement;

namespace Payments.Infrastructure.Tests.Grains;

/// <summary>A grain that says which silo it is active on.</summary>
public interface IAffinityProbe : IGrainWithStringKey
{
    Task<SiloAddress> Silo();
}

/// <summary>Stands for a user's own grain (wallet, friends, feed): keyed by the user id.</summary>
public interface IUserProbeGrain : IAffinityProbe
{
    /// <summary>Where the grain "<paramref name="user"/>/<paramref name="key"/>" is, activating it by a call from this grain.</summary>
    Task<SiloAddress> SiloOf(string user, string key);
}

/// <summary>Stands for a grain keyed "user/key" (idempotency).</summary>
public interface IUserKeyProbeGrain : IAffinityProbe;

[UserAffinityPlacement]
[GrainType("user-probe")]
public sealed class UserProbeGrain(ILocalSiloDetails silo) : Grain, IUserProbeGrain
{
    public Task<SiloAddress> Silo() => Task.FromResult(silo.SiloAddress);

    public Task<SiloAddress> SiloOf(string user, string key) => GrainFactory.GetGrain<IUserKeyProbeGrain>($"{user}/{key}").Silo();
}

[UserAffinityPlacement]
[GrainType("user-key-probe")]
public sealed class UserKeyProbeGrain(ILocalSiloDetails silo) : Grain, IUserKeyProbeGrain
{
    public Task<SiloAddress> Silo() => Task.FromResult(silo.SiloAddress);
}
