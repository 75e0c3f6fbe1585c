using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// The barrier behind early lock release: once it completes, the WAL is flushed past every commit that returned
/// before it was awaited, even commits made with synchronous_commit off (as group commits are).
/// </summary>
public sealed class WalFlushBarrierTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync() =>
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("flush_barrier"));

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task An_asynchronous_commit_is_flushed_once_the_barrier_completes()
    {
        var barrier = new WalFlushBarrier(_dataSource);
        await Execute("CREATE TABLE flushed (id int PRIMARY KEY, payload text NOT NULL)");

        for (var round = 0; round < 20; round++)
        {
            // A write large enough that the WAL writer has not flushed it by itself in the microseconds before the check.
            var committedAt = await CommitAsynchronouslyAsync(round);
            await barrier.WaitForFlushAsync();
            var flushedTo = await Lsn("SELECT pg_current_wal_flush_lsn()");
            Assert.True(flushedTo >= committedAt, $"round {round}: flushed to {flushedTo}, the commit ended at {committedAt}");
        }
    }

    [Fact]
    public async Task Concurrent_waiters_are_all_released_and_share_flushes()
    {
        var barrier = new WalFlushBarrier(_dataSource);
        var waiters = Enumerable.Range(0, 200).Select(_ => Task.Run(barrier.WaitForFlushAsync)).ToArray();

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(waiters, waiter => Assert.True(waiter.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task A_failed_flush_faults_its_waiters_and_the_next_round_succeeds()
    {
        await using var broken = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("flush_broken")) { Database = "no_such_database" }.ConnectionString);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => new WalFlushBarrier(broken).WaitForFlushAsync());

        await new WalFlushBarrier(_dataSource).WaitForFlushAsync();
    }

    private async Task<ulong> CommitAsynchronouslyAsync(int id)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO off"),
                    new NpgsqlBatchCommand($"INSERT INTO flushed VALUES ({id}, repeat('x', 100000))"),
                },
            };
            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        // Read on the same connection after the commit returned: at or past the end of its commit record.
        await using var command = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()", connection);
        return (ulong)(NpgsqlTypes.NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync())!;
    }

    private async Task<ulong> Lsn(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (ulong)(NpgsqlTypes.NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync())!;
    }

    private async Task Execute(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
