using System.Text.Json;
using Orleans.Payments.Runtime.Cluster;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.Runtime.Transport;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Two silos on one database: every grain has one owner, calls get there from either silo, and a silo leaving hands its grains over.</summary>
public sealed class ClusterRoutingTests
{
    private static Action<ClusterOptions> Cluster(int siloPort) => TestSilo.Cluster("routing", siloPort);

    private static Task BothSeeEachOtherAsync(TestSilo first, TestSilo second) => Eventually.TrueAsync(
        () => Task.FromResult(first.Membership.View.Placement.Silos.Count == 2 && second.Membership.View.Placement.Silos.Count == 2),
        TimeSpan.FromSeconds(10), "both silos see each other");

    [Fact]
    public async Task Calls_reach_the_owner_from_any_silo_and_move_when_a_silo_leaves()
    {
        var database = await TestPostgres.CreateDatabaseAsync("routing");
        await using var first = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        var second = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await BothSeeEachOtherAsync(first, second);

        var grains = Enumerable.Range(0, 40).Select(i => $"where-{i}").ToList();
        var viaFirst = await Task.WhenAll(grains.Select(key => first.GrainFactory.GetGrain<IWhereGrain>(key).Where()));
        var viaSecond = await Task.WhenAll(grains.Select(key => second.GrainFactory.GetGrain<IWhereGrain>(key).Where()));
        Assert.Equal(viaFirst, viaSecond);
        Assert.Equal(
            new[] { first.Membership.Self.ToString(), second.Membership.Self.ToString() }.Order(),
            viaFirst.Distinct().Order());

        // The second silo leaves; its grains come back on the first.
        await second.DisposeAsync();
        var after = await Task.WhenAll(grains.Select(key => first.GrainFactory.GetGrain<IWhereGrain>(key).Where()));
        Assert.All(after, silo => Assert.Equal(first.Membership.Self.ToString(), silo));
    }

    [Fact]
    public async Task A_call_sent_to_a_silo_that_does_not_own_the_grain_is_answered_by_the_owner()
    {
        var database = await TestPostgres.CreateDatabaseAsync("routing-stale");
        await using var first = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await using var second = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await BothSeeEachOtherAsync(first, second);

        // As a caller with a stale view would: send calls for the first silo's grains straight to the second.
        var metadata = GrainInterfaceMetadata.For(typeof(IWhereGrain));
        var where = metadata.Methods.Values.Single(method => method.Method.Name == nameof(IWhereGrain.Where));
        var keys = Enumerable.Range(0, 20).Select(i => new GrainId(metadata.GrainType, $"stale-{i}"))
            .Where(grain => second.Membership.View.Placement.Owner(grain) == first.Membership.Self).ToList();
        Assert.NotEmpty(keys);
        await using var connection = await SiloConnection.ConnectAsync("127.0.0.1", second.Transport.Endpoint!.Port, new JsonSerializerOptions(JsonSerializerDefaults.Web), CancellationToken.None);
        foreach (var grain in keys)
        {
            Assert.Equal(first.Membership.Self.ToString(), await connection.CallAsync(where, grain, [], TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task Calls_queued_at_a_grain_that_moves_follow_it_to_its_new_owner()
    {
        var database = await TestPostgres.CreateDatabaseAsync("routing-queued");
        await using var first = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));

        // Alone, the first silo owns every grain: keep each busy and queue a call behind the busy one.
        var keys = Enumerable.Range(0, 20).Select(i => $"queued-{i}").ToList();
        var busy = keys.Select(key => first.GrainFactory.GetGrain<IWhereGrain>(key).WhereAfter(8_000)).ToList();
        await Task.Delay(200);
        var queued = keys.Select(key => first.GrainFactory.GetGrain<IWhereGrain>(key).Where()).ToList();

        // A second silo joins: grains it now owns deactivate on the first once their running call is done.
        await using var second = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await BothSeeEachOtherAsync(first, second);
        await Task.WhenAll(busy);

        var answeredBy = await Task.WhenAll(queued);
        var moved = keys.Select((key, i) => (Owner: first.Membership.View.Placement.Owner(new GrainId(typeof(IWhereGrain).FullName!, key)), AnsweredBy: answeredBy[i]))
            .Where(grain => grain.Owner == second.Membership.Self)
            .ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, grain => Assert.Equal(second.Membership.Self.ToString(), grain.AnsweredBy));
    }

    [Fact]
    public async Task A_stateless_worker_is_served_by_the_calling_silo_and_stays_there_when_a_silo_joins()
    {
        var database = await TestPostgres.CreateDatabaseAsync("workers");
        await using var first = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await using var second = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await BothSeeEachOtherAsync(first, second);

        // Keys whose placement owner is either silo: each is still served where it is called, by that silo's own activation.
        var keys = Enumerable.Range(0, 20).Select(i => $"worker-{i}").ToList();
        Assert.Equal(2, keys.Select(key => first.Membership.View.Placement.Owner(new GrainId(typeof(ILocalWorkerGrain).FullName!, key))).Distinct().Count());
        foreach (var silo in new[] { first, second })
        {
            var visits = await Task.WhenAll(keys.Select(key => silo.GrainFactory.GetGrain<ILocalWorkerGrain>(key).Visit()));
            Assert.All(visits, visit => Assert.Equal(new WorkerVisit(silo.Membership.Self.ToString(), 1), visit));
        }

        // A third silo joins, which moves ordinary grains; the workers stay (their activations count on).
        await using var third = await TestSilo.StartAsync(database, cluster: Cluster(LoopbackPort.Free()));
        await Eventually.TrueAsync(
            () => Task.FromResult(first.Membership.View.Placement.Silos.Count == 3 && second.Membership.View.Placement.Silos.Count == 3),
            TimeSpan.FromSeconds(10), "the silos see the third");
        var again = await Task.WhenAll(keys.Select(key => first.GrainFactory.GetGrain<ILocalWorkerGrain>(key).Visit()));
        Assert.All(again, visit => Assert.Equal(new WorkerVisit(first.Membership.Self.ToString(), 2), visit));
    }
}
