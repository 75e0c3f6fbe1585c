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

/// <summary>A silo and how many calls the activation there has served.</summary>
public sealed record WorkerVisit(string Silo, int Calls);

public interface ILocalWorkerGrain : IGrainWithStringKey
{
    Task<WorkerVisit> Visit();
}

[StatelessWorker]
internal sealed class LocalWorkerGrain(MembershipService membership) : Grain, ILocalWorkerGrain
{
    private int _calls;

    public Task<WorkerVisit> Visit() => Task.FromResult(new WorkerVisit(membership.Self.ToString(), ++_calls));
}
