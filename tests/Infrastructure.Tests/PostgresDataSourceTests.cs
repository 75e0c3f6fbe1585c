using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>The silo's pools: a shared one, and pools of their own for sequential loops that must stay on one warm server process.</summary>
public sealed class PostgresDataSourceTests : IAsyncLifetime
{
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await TestPostgres.CreateDatabaseAsync("data_sources");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_dedicated_pool_runs_a_sequential_loop_on_one_server_process_however_busy_the_shared_pool_was()
    {
        await using var services = new ServiceCollection().AddPostgresDataSource(_connectionString, "tests").AddDedicatedDataSource("loop").BuildServiceProvider();
        var shared = services.GetRequiredService<NpgsqlDataSource>();
        var dedicated = services.GetRequiredKeyedService<NpgsqlDataSource>("loop");
        Assert.NotSame(shared, dedicated);

        // Many grains at once leave the shared pool with many idle connections.
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => shared.OpenConnectionAsync().AsTask()));
        foreach (var connection in burst)
        {
            await connection.DisposeAsync();
        }

        var backends = new HashSet<int>();
        for (var round = 0; round < 20; round++)
        {
            await using var command = dedicated.CreateCommand("SELECT pg_backend_pid()");
            backends.Add((int)(await command.ExecuteScalarAsync())!);
        }

        Assert.Single(backends);
    }

    [Fact]
    public async Task A_dedicated_pool_runs_generic_plans_and_is_not_reset_when_a_connection_returns()
    {
        await using var services = new ServiceCollection().AddPostgresDataSource(_connectionString, "tests").AddDedicatedDataSource("loop").BuildServiceProvider();
        var shared = services.GetRequiredService<NpgsqlDataSource>();
        var dedicated = services.GetRequiredKeyedService<NpgsqlDataSource>("loop");

        Assert.Equal("force_generic_plan", await ScalarAsync(dedicated, "SHOW plan_cache_mode"));
        Assert.Equal("auto", await ScalarAsync(shared, "SHOW plan_cache_mode"));

        // A session setting survives the return to the pool (no reset is sent), so only transaction-scoped state belongs here;
        // on the shared pool the reset clears it.
        foreach (var pool in new[] { dedicated, shared })
        {
            await using (var connection = await pool.OpenConnectionAsync())
            await using (var set = new NpgsqlCommand("SET application_name TO 'left-behind'", connection))
            {
                await set.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal("left-behind", await ScalarAsync(dedicated, "SHOW application_name"));
        Assert.NotEqual("left-behind", await ScalarAsync(shared, "SHOW application_name"));

        static async Task<string> ScalarAsync(NpgsqlDataSource pool, string sql)
        {
            await using var command = pool.CreateCommand(sql);
            return (string)(await command.ExecuteScalarAsync())!;
        }
    }

    [Fact]
    public async Task Statements_are_prepared_automatically_unless_the_connection_string_says_otherwise()
    {
        await using var defaults = new ServiceCollection().AddPostgresDataSource(_connectionString, "tests").BuildServiceProvider();
        Assert.Equal(PostgresServiceCollectionExtensions.AutoPreparedStatements, AutoPrepare(defaults.GetRequiredService<PostgresConnectionSettings>()));

        var explicitSetting = new NpgsqlConnectionStringBuilder(_connectionString) { MaxAutoPrepare = 5 }.ConnectionString;
        await using var configured = new ServiceCollection().AddPostgresDataSource(explicitSetting, "tests").BuildServiceProvider();
        Assert.Equal(5, AutoPrepare(configured.GetRequiredService<PostgresConnectionSettings>()));

        static int AutoPrepare(PostgresConnectionSettings settings) => new NpgsqlConnectionStringBuilder(settings.ConnectionString).MaxAutoPrepare;
    }

    [Fact]
    public async Task A_session_left_idle_in_a_transaction_is_ended_and_its_locks_released()
    {
        await using var services = new ServiceCollection().AddPostgresDataSource(_connectionString, "tests").AddDedicatedDataSource("loop").BuildServiceProvider();
        var shared = services.GetRequiredService<NpgsqlDataSource>();
        await using (var setup = shared.CreateCommand("CREATE TABLE IF NOT EXISTS idle_lock_probe (id int PRIMARY KEY); INSERT INTO idle_lock_probe VALUES (1) ON CONFLICT DO NOTHING"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        // A pooled connection of the dedicated pool takes a share lock, then its process stops sending anything.
        var frozen = await services.GetRequiredKeyedService<NpgsqlDataSource>("loop").OpenConnectionAsync();
        var transaction = await frozen.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT id FROM idle_lock_probe WHERE id = 1 FOR SHARE", frozen, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        // Another session's update of that row waits for the lock, and gets it once the server ends the idle session
        // (without the timeout it would wait forever: the command timeout of 60 s would fail the test).
        await using (var update = shared.CreateCommand("UPDATE idle_lock_probe SET id = 1 WHERE id = 1"))
        {
            update.CommandTimeout = 60;
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        // The frozen session's transaction was rolled back: it can commit nothing.
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => transaction.CommitAsync());
        await frozen.DisposeAsync();
    }

    [Fact]
    public void The_settings_never_print_their_password()
    {
        var settings = new PostgresConnectionSettings(new NpgsqlConnectionStringBuilder(_connectionString) { Password = "not-for-logs" }.ConnectionString, "tests");
        Assert.DoesNotContain("not-for-logs", settings.ToString(), StringComparison.Ordinal);
    }
}
