using Orleans.Payments.Runtime.Cluster;

namespace Orleans.Payments.Runtime.Tests.Grains;

public interface IWhereGrain : IGrainWithStringKey
{
    /// <summary>The silo this activation runs on.</summary>
    Task<string> Where();
}

internal sealed class WhereGrain(MembershipService membership) : Grain, IWhereGrain
{
    public Task<string> Where() => Task.FromResult(membership.Self.ToString());
}
