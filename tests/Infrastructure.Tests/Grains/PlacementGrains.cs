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

/// <summary>A grain that answers its own key (default placement).</summary>
public interface IKeyEchoGrain : IGrainWithStringKey
{
    Task<string> Key();
}

/// <summary>The same, as another grain type.</summary>
public interface IOtherKeyEchoGrain : IGrainWithStringKey
{
    Task<string> Key();
}

[GrainType("key-echo")]
public sealed class KeyEchoGrain : Grain, IKeyEchoGrain
{
    public Task<string> Key() => Task.FromResult(this.GetPrimaryKeyString());
}

[GrainType("other-key-echo")]
public sealed class OtherKeyEchoGrain : Grain, IOtherKeyEchoGrain
{
    public Task<string> Key() => Task.FromResult("other:" + this.GetPrimaryKeyString());
}
