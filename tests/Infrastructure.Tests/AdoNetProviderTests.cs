using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Storage;
using Payments.Infrastructure.Tests.Grains;
using Payments.Infrastructure.Tests.Infrastructure;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// Orleans' ADO.NET providers (clustering, reminders, grain storage) against the tables and OrleansQuery rows of the
/// project's migrations (deploy/sql/0012_orleans_providers.sql), each test on a database of its own.
/// </summary>
public sealed class AdoNetProviderTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_silos_join_one_cluster_and_a_client_finds_them_through_the_membership_table()
    {
        var database = await TestPostgres.CreateDatabaseAsync("membership");
        var clusterId = $"membership-{Guid.NewGuid():N}";
        await using var first = await AdoNetSilo.StartAsync(database, clusterId);
        await using var second = await AdoNetSilo.StartAsync(database, clusterId);

        foreach (var silo in new[] { first, second })
        {
            await Eventually.TrueAsync(
                async () => (await silo.Management.GetDetailedHosts(onlyActive: true)).Select(entry => entry.SiloAddress).ToHashSet()
                    .SetEquals([first.SiloAddress, second.SiloAddress]),
                s_within, $"{silo.SiloAddress} sees both silos active");
        }

        var rows = await MembershipRowsAsync(database, clusterId);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(3, row.Status)); // SiloStatus.Active
        Assert.All(rows, row => Assert.True(row.ProxyPort > 0, "each silo is listed as a gateway"));

        var client = await AdoNetSilo.StartClientAsync(database, clusterId);
        try
        {
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
            Assert.Equal(2, hosts.Length);

            // Calls through the gateways reach grains on both silos.
            var placed = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => grains.GetGrain<IUserProbeGrain>($"member-{i}").Silo()));
            Assert.Equal(2, placed.Distinct().Count());

            // A silo that leaves is marked dead in the table; the client carries on through the other gateway.
            await second.StopAsync();
            Assert.Contains(await MembershipRowsAsync(database, clusterId), row => row.Port == second.SiloAddress.Endpoint.Port && row.Status == 6);
            await Eventually.TrueAsync(
                async () => (await first.Management.GetDetailedHosts(onlyActive: true)).Length == 1,
                s_within, "the remaining silo sees the other one gone");
            await Eventually.TrueAsync(
                async () => await TryAsync(() => grains.GetGrain<IUserProbeGrain>("after-leave").Silo()) == first.SiloAddress,
                s_within, "the client's calls reach the remaining silo");
        }
        finally
        {
            await client.StopAsync();
            client.Dispose();
        }
    }

    [Fact]
    public async Task A_reminder_fires_and_keeps_firing_after_the_silo_restarts()
    {
        var database = await TestPostgres.CreateDatabaseAsync("reminders");
        var clusterId = $"reminders-{Guid.NewGuid():N}";
        var key = $"restart-{Guid.NewGuid():N}";

        await using (var silo = await AdoNetSilo.StartAsync(database, clusterId))
        {
            await silo.GrainFactory.GetGrain<IReminderProbeGrain>(key).Start(TimeSpan.FromSeconds(1));
            Assert.Equal(1, await ScalarAsync<long>(database, "SELECT count(*) FROM orleans_reminders WHERE grain_id = 'reminder-probe/' || $1", key));
            await Eventually.TrueAsync(() => Task.FromResult(ReminderProbeGrain.TicksOf(key).Count >= 2), s_within, "the reminder fires");
            await silo.StopAsync();
        }

        var beforeRestart = ReminderProbeGrain.TicksOf(key).Count;
        await using (var restarted = await AdoNetSilo.StartAsync(database, clusterId))
        {
            // Nobody calls the grain: the new silo's reminder service reads the table and activates it.
            await Eventually.TrueAsync(() => Task.FromResult(ReminderProbeGrain.TicksOf(key).Count >= beforeRestart + 2), s_within, "the reminder fires after the restart");
            Assert.All(ReminderProbeGrain.TicksOf(key).Skip(beforeRestart), tick => Assert.Equal(restarted.SiloAddress, tick.Silo));

            await restarted.GrainFactory.GetGrain<IReminderProbeGrain>(key).Stop();
            Assert.Equal(0, await ScalarAsync<long>(database, "SELECT count(*) FROM orleans_reminders WHERE grain_id = 'reminder-probe/' || $1", key));
            await restarted.StopAsync();
        }
    }

    [Fact]
    public async Task A_reminder_moves_to_the_other_silo_when_its_silo_leaves()
    {
        var database = await TestPostgres.CreateDatabaseAsync("reminder_handover");
        var clusterId = $"handover-{Guid.NewGuid():N}";
        await using var first = await AdoNetSilo.StartAsync(database, clusterId);
        await using var second = await AdoNetSilo.StartAsync(database, clusterId);
        await Eventually.TrueAsync(async () => (await first.Management.GetDetailedHosts(onlyActive: true)).Length == 2, s_within, "both silos are active");

        // Half of the probes are activated on the silo that leaves (prefer-local placement); with 16 reminders
        // some also fall in its ring range of the reminder service (none would: 1 in 65,536).
        var keys = Enumerable.Range(0, 16).Select(i => $"handover-{i}-{Guid.NewGuid():N}").ToArray();
        var onSecond = keys.Where((_, index) => index % 2 == 1).ToArray();
        await Task.WhenAll(keys.Select(key => (onSecond.Contains(key) ? second : first).GrainFactory
            .GetGrain<IReminderProbeGrain>(key).Start(TimeSpan.FromSeconds(1))));
        await Eventually.TrueAsync(
            () => Task.FromResult(keys.All(key => ReminderProbeGrain.TicksOf(key).Count >= 1)), s_within, "every reminder fires");
        Assert.All(onSecond, key => Assert.Equal(second.SiloAddress, ReminderProbeGrain.TicksOf(key)[0].Silo));

        await second.StopAsync();
        var ticksAtStop = onSecond.ToDictionary(key => key, key => ReminderProbeGrain.TicksOf(key).Count);
        await Eventually.TrueAsync(
            () => Task.FromResult(onSecond.All(key => ReminderProbeGrain.TicksOf(key).Skip(ticksAtStop[key]).Count(tick => tick.Silo == first.SiloAddress) >= 2)),
            s_within, "the reminders of the silo that left fire on the remaining one");

        await Task.WhenAll(keys.Select(key => first.GrainFactory.GetGrain<IReminderProbeGrain>(key).Stop()));
    }

    [Fact]
    public async Task Grain_state_is_written_and_read_back_as_json_without_type_names()
    {
        var database = await TestPostgres.CreateDatabaseAsync("grain_state");
        await using var silo = await AdoNetSilo.StartAsync(database, $"state-{Guid.NewGuid():N}");
        var grain = silo.GrainFactory.GetGrain<IStateProbeGrain>("state-one");
        Assert.Null(await grain.ETag());

        await grain.Set(42, "first");
        await grain.Deactivate();
        await Eventually.TrueAsync(async () => await grain.ETag() == "1", s_within, "a new activation reads the stored state");
        var read = await grain.Get();
        Assert.Equal((42, "first"), (read.Value, read.Writer));

        await grain.Set(43, "second");
        Assert.Equal("2", await grain.ETag());
        var payload = await ScalarAsync<byte[]>(database, "SELECT payload FROM orleans_grain_state WHERE grain_type = 'probe' AND grain_key_string = $1", "state-one");
        var json = System.Text.Encoding.UTF8.GetString(payload);
        Assert.Contains("\"Value\":43", json);
        Assert.DoesNotContain("$type", json);
        Assert.DoesNotContain("ProbeState", json);

        // Clear keeps the row (and so the version) but drops the state.
        await grain.Clear();
        Assert.Equal("3", await grain.ETag());
        await grain.Deactivate();
        await Eventually.TrueAsync(async () => await grain.ETag() == "3", s_within, "a new activation reads the cleared row");
        Assert.Equal(0, (await grain.Get()).Value);
        await grain.Set(7, "after-clear");
        Assert.Equal("4", await grain.ETag());
        await silo.StopAsync();
    }

    [Fact]
    public async Task Two_clusters_writing_one_grains_state_conflict_and_the_stale_writer_gets_InconsistentStateException()
    {
        // Two clusters of one service on one database share grain state (it is keyed by ServiceId), and each has its
        // own activation of the grain: the situation of a duplicate activation during a membership change.
        var database = await TestPostgres.CreateDatabaseAsync("state_conflict");
        await using var blue = await AdoNetSilo.StartAsync(database, $"blue-{Guid.NewGuid():N}");
        await using var green = await AdoNetSilo.StartAsync(database, $"green-{Guid.NewGuid():N}");
        var inBlue = blue.GrainFactory.GetGrain<IStateProbeGrain>("contested");
        var inGreen = green.GrainFactory.GetGrain<IStateProbeGrain>("contested");

        await inBlue.Set(1, "blue");
        Assert.Equal(1, (await inGreen.Get()).Value); // green activates after blue's write and reads it
        await inGreen.Set(2, "green");

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => inBlue.Set(3, "blue"));
        Assert.Contains("Version conflict", conflict.Message);
        var stored = await ScalarAsync<byte[]>(database, "SELECT payload FROM orleans_grain_state WHERE grain_key_string = 'contested'");
        Assert.Contains("\"Writer\":\"green\"", System.Text.Encoding.UTF8.GetString(stored));

        // Orleans deactivates an activation whose write conflicted; the next call reads the winner's state.
        await Eventually.TrueAsync(async () => (await inBlue.Get()).Value == 2, s_within, "blue's next activation reads green's write");
        await inBlue.Set(4, "blue");
        await Assert.ThrowsAsync<InconsistentStateException>(() => inGreen.Set(5, "green"));

        // Two first writes (neither activation read a row): the second one conflicts instead of inserting a duplicate.
        var newBlue = blue.GrainFactory.GetGrain<IStateProbeGrain>("first-writes");
        var newGreen = green.GrainFactory.GetGrain<IStateProbeGrain>("first-writes");
        Assert.Null(await newBlue.ETag());
        Assert.Null(await newGreen.ETag());
        await newBlue.Set(1, "blue");
        await Assert.ThrowsAsync<InconsistentStateException>(() => newGreen.Set(1, "green"));
        Assert.Equal(1L, await ScalarAsync<long>(database, "SELECT count(*) FROM orleans_grain_state WHERE grain_key_string = 'first-writes'"));

        await green.StopAsync();
        await blue.StopAsync();
    }

    [Fact]
    public async Task Grain_storage_checks_every_etag_on_write_clear_and_delete()
    {
        var database = await TestPostgres.CreateDatabaseAsync("grain_storage");
        await using var silo = await AdoNetSilo.StartAsync(database, $"storage-{Guid.NewGuid():N}");
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(AdoNetSilo.StorageName);
        var grainId = GrainId.Create("state-probe", "direct-writes");

        var mine = new GrainState<ProbeState>(new ProbeState { Value = 1 });
        await storage.WriteStateAsync("probe", grainId, mine);
        Assert.Equal(("1", true), (mine.ETag, mine.RecordExists));

        var theirs = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", grainId, theirs);
        Assert.Equal(("1", 1), (theirs.ETag, theirs.State!.Value));
        theirs.State.Value = 2;
        await storage.WriteStateAsync("probe", grainId, theirs);
        Assert.Equal("2", theirs.ETag);

        // A write, a clear, or a first write made without the current ETag are refused.
        mine.State!.Value = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, mine));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("probe", grainId, mine));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, new GrainState<ProbeState>(new ProbeState { Value = 9 })));
        var current = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", grainId, current);
        Assert.Equal(("2", 2), (current.ETag, current.State!.Value));

        // Another state name of the same grain is another row.
        var other = new GrainState<ProbeState>(new ProbeState { Value = 5 });
        await storage.WriteStateAsync("other", grainId, other);
        Assert.Equal("1", other.ETag);

        // Clear with the current ETag keeps the row, without payload.
        await storage.ClearStateAsync("probe", grainId, current);
        Assert.Equal(("3", false), (current.ETag, current.RecordExists));
        var cleared = new GrainState<ProbeState>(new ProbeState { Value = -1 });
        await storage.ReadStateAsync("probe", grainId, cleared);
        Assert.Equal(("3", false, 0), (cleared.ETag, cleared.RecordExists, cleared.State!.Value));

        // The deleting storage removes the row on clear; a first write may then start again.
        var deleting = silo.Services.GetRequiredKeyedService<IGrainStorage>(AdoNetSilo.DeletingStorageName);
        var doomedId = GrainId.Create("state-probe", "deleted-on-clear");
        var doomed = new GrainState<ProbeState>(new ProbeState { Value = 1 });
        await deleting.WriteStateAsync("probe", doomedId, doomed);
        var stale = new GrainState<ProbeState>(new ProbeState()) { ETag = doomed.ETag, RecordExists = true };
        doomed.State!.Value = 2;
        await deleting.WriteStateAsync("probe", doomedId, doomed);
        await Assert.ThrowsAsync<InconsistentStateException>(() => deleting.ClearStateAsync("probe", doomedId, stale));
        await deleting.ClearStateAsync("probe", doomedId, doomed);
        Assert.Equal((null, false), (doomed.ETag, doomed.RecordExists));
        Assert.Equal(0L, await ScalarAsync<long>(database, "SELECT count(*) FROM orleans_grain_state WHERE grain_key_string = 'deleted-on-clear'"));
        var reborn = new GrainState<ProbeState>(new ProbeState { Value = 3 });
        await deleting.WriteStateAsync("probe", doomedId, reborn);
        Assert.Equal("1", reborn.ETag);

        // Integer and Guid keys are rows of their own too (the provider sends them as N0/N1 instead of a string).
        var guidId = GrainId.Create("state-probe", Guid.NewGuid().ToString("N"));
        var byGuid = new GrainState<ProbeState>(new ProbeState { Value = 11 });
        await storage.WriteStateAsync("probe", guidId, byGuid);
        var guidRead = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("probe", guidId, guidRead);
        Assert.Equal(("1", 11), (guidRead.ETag, guidRead.State!.Value));
        await silo.StopAsync();
    }

    [Fact]
    public async Task String_keys_that_read_as_hex_numbers_share_a_row_so_state_keys_need_a_non_hex_character()
    {
        // Orleans' ADO.NET storage reads a string key that parses as hex as an integer key (dotnet/orleans#9706), and
        // so stores "cafe" and "0cafe" in one row. No payment grain keeps Orleans state today; one that does must key
        // it with a character outside [0-9a-f] (user ids are dashed UUIDs, which read as Guid keys and do not collide).
        var database = await TestPostgres.CreateDatabaseAsync("hex_keys");
        await using var silo = await AdoNetSilo.StartAsync(database, $"hex-{Guid.NewGuid():N}");
        await silo.GrainFactory.GetGrain<IStateProbeGrain>("cafe").Set(1, "cafe");
        Assert.Equal("cafe", (await silo.GrainFactory.GetGrain<IStateProbeGrain>("0cafe").Get()).Writer);

        await silo.GrainFactory.GetGrain<IStateProbeGrain>("u:cafe").Set(2, "u:cafe");
        Assert.Null((await silo.GrainFactory.GetGrain<IStateProbeGrain>("u:0cafe").Get()).Writer);
        var user = Guid.NewGuid();
        await silo.GrainFactory.GetGrain<IStateProbeGrain>(user.ToString("D")).Set(3, "user");
        Assert.Null((await silo.GrainFactory.GetGrain<IStateProbeGrain>(Guid.NewGuid().ToString("D")).Get()).Writer);
        Assert.Equal("user", (await silo.GrainFactory.GetGrain<IStateProbeGrain>(user.ToString("D")).Get()).Writer);
        await silo.StopAsync();
    }

    private sealed record MembershipRow(string Address, int Port, int Status, int ProxyPort);

    private static async Task<List<MembershipRow>> MembershipRowsAsync(string database, string clusterId)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT address, port, status, proxy_port FROM orleans_membership WHERE deployment_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<MembershipRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new MembershipRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        return rows;
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception error) when (error is OrleansException or TimeoutException)
        {
            return default;
        }
    }
}
