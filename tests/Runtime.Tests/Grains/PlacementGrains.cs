using Orleans.Payments.Runtime.Cluster;

namespace Orleans.Payments.Runtime.Tests.Grains;

public interface IWhereGrain : IGrainWithStringKey
{
    /// <summary>The silo this activation runs on.</summary>
    Task<string> Where();

    /// <summary>The silo this activation runs on, after keeping the activation busy for a while.</summary>
    Task<string> WhereAfter(int milliseconds);
}

internal sealed class WhereGrain(MembershipService membership) : Grain, IWhereGrain
{
    public Task<string> Where() => Task.FromResult(membership.Self.ToString());

    public async Task<string> WhereAfter(int milliseconds)
    {
        await Task.Delay(milliseconds);
        return membership.Self.ToString();
    }
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
