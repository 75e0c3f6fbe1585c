using Npgsql;
using Payments.Infrastructure.Postgres;
using Payments.TestSupport;
using Xunit;
using static Payments.Infrastructure.Postgres.BatchCommands;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// The stores send several statements as one batch without BEGIN or COMMIT and rely on PostgreSQL running them as one
/// implicit transaction (Npgsql ends a batch with a single Sync): all of it commits or none, and a transaction-local
/// setting made by its first statement holds for the rest and for the commit.
/// </summary>
public sealed class ImplicitBatchTransactionTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync("implicit_batch"));
        await using var create = _dataSource.CreateCommand("CREATE TABLE batch_rows (id integer PRIMARY KEY)");
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_failing_statement_rolls_back_the_statements_before_it()
    {
        var failure = await Assert.ThrowsAsync<PostgresException>(() => TransactionalBatch.ExecuteAsync(_dataSource,
        [
            Command("INSERT INTO batch_rows VALUES (1)"),
            Command("INSERT INTO batch_rows VALUES (2)"),
            Command("INSERT INTO batch_rows VALUES (1)"),
        ]));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        await using var count = _dataSource.CreateCommand("SELECT count(*) FROM batch_rows");
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_transaction_local_setting_holds_for_the_rest_of_the_batch_and_not_after_it()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var read = new NpgsqlCommand("SELECT current_setting('synchronous_commit')", connection);
        var before = (string)(await read.ExecuteScalarAsync())!;
        Assert.NotEqual("local", before);
        await using (var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("SELECT set_config('synchronous_commit', 'local', true)"),
                Command("INSERT INTO batch_rows VALUES (10)"),
                Command("SELECT current_setting('synchronous_commit')"),
            },
        })
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            Assert.True(await reader.NextResultAsync());
            Assert.True(await reader.ReadAsync());
            Assert.Equal("local", reader.GetString(0));
        }

        Assert.Equal(before, await read.ExecuteScalarAsync());
    }
}
