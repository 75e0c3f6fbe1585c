using System.Text.Json;
using Npgsql;
using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Graceful_shutdown_deactivates_every_activation_and_their_state_is_flushed()
    {
        var database = await TestPostgres.CreateDatabaseAsync("shutdown");
        var silo = await TestSilo.StartAsync(database);
        const int grains = 200;
        await Task.WhenAll(Enumerable.Range(0, grains).Select(i => silo.GrainFactory.GetGrain<IStatefulGrain>($"flush-{i}").SetInMemory(i + 1)));
        Assert.Equal(grains, silo.Catalog.Count);

        await silo.StopAsync();
        Assert.Equal(0, silo.Catalog.Count);

        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT grain_key, payload::text FROM grain_state WHERE state_name = 'counter'");
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, CounterState>();
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = JsonSerializer.Deserialize<CounterState>(reader.GetString(1), JsonSerializerOptions.Web)!;
        }

        Assert.Equal(grains, stored.Count);
        for (var i = 0; i < grains; i++)
        {
            var state = stored[$"flush-{i}"];
            Assert.Equal(i + 1, state.Value);
            Assert.Equal(["flushed on ShuttingDown"], state.Log);
        }

        await silo.DisposeAsync();
    }

    [Fact]
    public async Task Calls_after_shutdown_fail_with_a_retryable_error()
    {
        var silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("closed"));
        var grain = silo.GrainFactory.GetGrain<IStatefulGrain>("late");
        await silo.StopAsync();
        await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.Get());
        await silo.DisposeAsync();
    }
}
