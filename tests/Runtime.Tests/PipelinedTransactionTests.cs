using Npgsql;
using Orleans.Payments.Runtime.Postgres;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>A transaction sent as BEGIN … COMMIT in one batch: all or nothing, and a failed one does not poison the pool.</summary>
public sealed class PipelinedTransactionTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        // One connection, so the test reuses the very connection a failed transaction went back to the pool with.
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync("pipelined")) { MaxPoolSize = 1 }.ConnectionString);
        await using var create = _dataSource.CreateCommand("CREATE TABLE items (id int PRIMARY KEY)");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_batch_commits_its_statements_together()
    {
        await InsertAsync(1, 2);

        Assert.Equal([1, 2], await IdsAsync());
    }

    [Fact]
    public async Task A_failing_statement_commits_nothing_and_the_connection_comes_back_clean()
    {
        await InsertAsync(10);

        var error = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(11, 10)); // 10 again: a duplicate key.
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);

        // The same (only) connection again: not inside the failed transaction, and 11 was rolled back.
        await InsertAsync(12);
        Assert.Equal([10, 12], await IdsAsync());
    }

    [Fact]
    public async Task A_transaction_begun_in_one_batch_commits_in_another()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var begin = PipelinedTransaction.Begin(connection))
        {
            begin.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO items VALUES (20)"));
            await begin.ExecuteNonQueryAsync();
        }

        await using (var status = new NpgsqlCommand("SELECT txid_current_if_assigned() IS NOT NULL", connection))
        {
            Assert.True((bool)(await status.ExecuteScalarAsync())!); // Still inside the transaction that wrote.
        }

        await using var rest = new NpgsqlBatch(connection);
        rest.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO items VALUES (21)"));
        await PipelinedTransaction.CommitAsync(rest);
        await connection.CloseAsync();

        Assert.Equal([20, 21], await IdsAsync());
    }

    private async Task InsertAsync(params int[] ids)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var batch = PipelinedTransaction.Begin(connection);
        foreach (var id in ids)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO items VALUES ($1)");
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id });
            batch.BatchCommands.Add(insert);
        }

        await PipelinedTransaction.CommitAsync(batch);
    }

    private async Task<List<int>> IdsAsync()
    {
        await using var command = _dataSource.CreateCommand("SELECT id FROM items ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<int>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }
}
