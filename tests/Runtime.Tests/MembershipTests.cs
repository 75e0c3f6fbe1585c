using Npgsql;
using Orleans.Payments.Runtime.Cluster;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>The membership table: silos join, heartbeat, declare silent ones dead, and stop when declared dead.</summary>
public sealed class MembershipTests
{
    private static Action<ClusterOptions> Cluster(int siloPort) => TestSilo.Cluster("test", siloPort);

    [Fact]
    public async Task Silos_join_as_active_and_leave_as_dead()
    {
        var database = await TestPostgres.CreateDatabaseAsync("membership");
        await using var first = await TestSilo.StartAsync(database, cluster: Cluster(20001));
        var second = await TestSilo.StartAsync(database, cluster: Cluster(20002));
        var table = new MembershipTable(NpgsqlDataSource.Create(database));

        var joined = await table.ReadAsync("test");
        Assert.Equal(["active", "active"], joined.Members.Select(member => member.Status));
        Assert.Equal(["127.0.0.1:20001", "127.0.0.1:20002"], joined.Members.Select(member => member.Silo.Address));

        await second.DisposeAsync();
        var left = await table.ReadAsync("test");
        Assert.Equal("dead", left.Members.Single(member => member.Silo.Address == "127.0.0.1:20002").Status);
        Assert.Equal("active", left.Members.Single(member => member.Silo.Address == "127.0.0.1:20001").Status);
        Assert.True(left.Version > joined.Version);
    }

    [Fact]
    public async Task A_silo_whose_heartbeats_stop_is_declared_dead()
    {
        var database = await TestPostgres.CreateDatabaseAsync("silent");
        var table = new MembershipTable(NpgsqlDataSource.Create(database));
        var crashed = new SiloIdentity("127.0.0.1:20009", 1);
        var version = (await table.ReadAsync("test")).Version;
        Assert.True(await table.TryInsertAsync("test", crashed, SiloStatus.Active, version));

        await using var survivor = await TestSilo.StartAsync(database, cluster: Cluster(20003));
        await Eventually.TrueAsync(
            async () => (await table.ReadAsync("test")).Members.Single(member => member.Silo == crashed).Status == SiloStatus.Dead,
            TimeSpan.FromSeconds(30), "the silent silo is declared dead");
        Assert.Equal(SiloStatus.Active, (await table.ReadAsync("test")).Members.Single(member => member.Silo == survivor.Membership.Self).Status);
    }

    [Fact]
    public async Task A_silo_declared_dead_stops_itself()
    {
        var database = await TestPostgres.CreateDatabaseAsync("declared");
        var table = new MembershipTable(NpgsqlDataSource.Create(database));
        await using var silo = await TestSilo.StartAsync(database, cluster: Cluster(20004));
        var stopping = silo.Stopping;

        var snapshot = await table.ReadAsync("test");
        Assert.True(await table.TrySetStatusAsync("test", silo.Membership.Self, SiloStatus.Dead, snapshot.Version));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Membership_changes_are_compare_and_swap()
    {
        var database = await TestPostgres.CreateDatabaseAsync("cas");
        var table = new MembershipTable(NpgsqlDataSource.Create(database));
        var version = (await table.ReadAsync("test")).Version;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => table.TryInsertAsync("test", new SiloIdentity($"127.0.0.1:{30000 + i}", 1), SiloStatus.Joining, version))));

        Assert.Single(results, won => won);
        var after = await table.ReadAsync("test");
        Assert.Single(after.Members);
        Assert.Equal(version + 1, after.Version);
    }
}
