using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>
/// PostgreSQL connection pools. The shared pool (the unkeyed <see cref="NpgsqlDataSource"/>) serves grains, which
/// call the database from many activations at once. A loop that runs one transaction after another all day (the
/// ledger's committer, the WAL flush barrier, stream pumps, inbox writers, feed fan-out) gets a pool of its own,
/// resolved with <c>[FromKeyedServices(key)]</c>:
/// the shared pool hands its idle connections out in turn, so such a loop lands on a different server process for
/// every transaction, one whose caches (and page tables for the shared buffers) are cold for the rows it touches.
/// Measured on the ledger: a dedicated pool made each transfer's database work about three times cheaper.
/// </summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>Statements each connection keeps prepared unless the connection string says otherwise (<c>Max Auto Prepare</c>).</summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>
    /// How long a session may sit idle inside a transaction before PostgreSQL ends it (and rolls the transaction back),
    /// unless the connection string's <c>Options</c> set <c>idle_in_transaction_session_timeout</c> themselves. A process
    /// frozen in the middle of a transaction (a stopped VM, a SIGSTOP, a very long pause) keeps its locks, among them
    /// the share lock the ledger's fence holds on the silo's own membership row: the survivors' death declaration
    /// waits on that lock, and without this timeout it would wait until the frozen silo woke. Every transaction of
    /// the platform runs its statements back to back, so 5 s idle means the process is not running.
    /// </summary>
    public static readonly TimeSpan IdleInTransactionTimeout = TimeSpan.FromSeconds(5);

    private const string IdleInTransactionSetting = "idle_in_transaction_session_timeout";

    /// <summary>
    /// Registers the shared pool and the connection settings dedicated pools are built from; statements are prepared
    /// automatically, and a session idle in a transaction for <see cref="IdleInTransactionTimeout"/> is ended.
    /// </summary>
    public static IServiceCollection AddPostgresDataSource(this IServiceCollection services, string connectionString, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (settings.MaxAutoPrepare == 0)
        {
            // Every statement here is issued thousands of times: preparing it saves the server a parse and a plan
            // each time (about a tenth of its CPU under load).
            settings.MaxAutoPrepare = AutoPreparedStatements;
        }

        if (settings.Options?.Contains(IdleInTransactionSetting, StringComparison.Ordinal) != true)
        {
            settings.Options = $"{settings.Options} -c {IdleInTransactionSetting}={(int)IdleInTransactionTimeout.TotalMilliseconds}".Trim();
        }

        services.AddSingleton(new PostgresConnectionSettings(settings.ConnectionString, name));
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = name }.Build());
        return services;
    }

    /// <summary>Registers the <see cref="WalFlushBarrier"/> every early-lock-release writer and reader of the silo shares, on its own pool.</summary>
    public static IServiceCollection AddWalFlushBarrier(this IServiceCollection services)
    {
        services.AddDedicatedDataSource(WalFlushBarrier.DataSourceKey).TryAddSingleton<WalFlushBarrier>();
        return services;
    }

    /// <summary>
    /// Registers a pool of its own under <paramref name="key"/>, for one sequential loop (a pool opens connections
    /// only as they are used at once, so it holds as many as the loop's concurrency).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Its connections are not reset when they go back to the pool. Npgsql's reset is seven statements (DISCARD ALL
    /// but for the prepared statements) sent with the next command, and these loops take a connection for every
    /// transaction: measured with 3 silos, two resets per transfer. The loops change only transaction-scoped state
    /// (<c>SET LOCAL</c>, <c>set_config(..., true)</c>, transaction advisory locks), which their commit or rollback
    /// ends; Npgsql rolls back a transaction left open on close whether it resets or not. Session state (LISTEN, session
    /// locks) belongs on the shared pool.
    /// </para>
    /// <para>
    /// Its prepared statements always run their generic plan. A loop runs a few statements thousands of times a
    /// second, with arrays the size of its batch, and their best plans do not depend on the values (a probe by key per
    /// element, an ordered scan from a checkpoint). In the default mode PostgreSQL compares the generic plan's estimate
    /// with the custom plans' and, for small batches, went on planning every execution: measured with 3 silos (whose
    /// batches are a third the size), the ledger's lock and update statements and the stream read were planned on
    /// 1,000 to 1,250 of 1,250 executions, about a tenth of PostgreSQL's CPU in the hot-wallet phase.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddDedicatedDataSource(this IServiceCollection services, string key)
    {
        services.TryAddKeyedSingleton(key, static (provider, key) =>
        {
            var shared = provider.GetRequiredService<PostgresConnectionSettings>();
            var settings = new NpgsqlConnectionStringBuilder(shared.ConnectionString) { NoResetOnClose = true };
            settings.Options = $"{settings.Options} -c plan_cache_mode=force_generic_plan".Trim();
            return new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = $"{shared.Name}-{key}" }.Build();
        });
        return services;
    }
}
