using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Grain state in PostgreSQL with ETags: two activations of one grain cannot overwrite each other.</summary>
public sealed class PersistenceTests : IAsyncLifetime
{
    private string _database = null!;
    private TestSilo _first = null!;
    private TestSilo _second = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync("persistence");
        _first = await TestSilo.StartAsync(_database);
        _second = await TestSilo.StartAsync(_database);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_and_succeeds_after_reloading()
    {
        // Two silos that do not know each other: each activates the same grain.
        var inFirst = _first.GrainFactory.GetGrain<IStatefulGrain>("contested");
        var inSecond = _second.GrainFactory.GetGrain<IStatefulGrain>("contested");
        Assert.Equal(0, await inFirst.Get());
        Assert.Equal(0, await inSecond.Get());

        await inFirst.Set(10);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => inSecond.Set(20));
        Assert.Null(conflict.CurrentEtag);
        Assert.Equal("1", conflict.StoredEtag);

        await inSecond.Reload();
        Assert.Equal(10, await inSecond.Get());
        await inSecond.Set(30);

        // Now the first activation is the stale one.
        await Assert.ThrowsAsync<InconsistentStateException>(() => inFirst.Set(40));
        await inFirst.Reload();
        Assert.Equal(30, await inFirst.Get());
        Assert.Equal("2", await inFirst.Etag());
    }

    [Fact]
    public async Task State_survives_a_silo_restart_and_clear_removes_it()
    {
        var database = await TestPostgres.CreateDatabaseAsync("restart");
        await using (var silo = await TestSilo.StartAsync(database))
        {
            await silo.GrainFactory.GetGrain<IStatefulGrain>("durable").Set(7);
        }

        await using (var silo = await TestSilo.StartAsync(database))
        {
            var grain = silo.GrainFactory.GetGrain<IStatefulGrain>("durable");
            Assert.Equal(7, await grain.Get());
            Assert.Equal("1", await grain.Etag());
            await grain.Clear();
            Assert.Null(await grain.Etag());
            await grain.Reload();
            Assert.Equal(0, await grain.Get());
        }
    }
}
