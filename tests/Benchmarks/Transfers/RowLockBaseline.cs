using Npgsql;

namespace Payments.Benchmarks.Transfers;

/// <summary>
/// The baseline: one database transaction per transfer, the way a service without actors or batching does it —
/// SELECT … FOR UPDATE on the sender, check funds, update both rows, insert the transfer, commit.
/// Deadlocks (two transfers between the same pair in opposite directions) are retried.
/// </summary>
internal sealed class RowLockBaseline(NpgsqlDataSource dataSource)
{
    public async Task SetUpAsync(int wallets, long balance)
    {
        await using (var create = dataSource.CreateCommand(
            """
            DROP TABLE IF EXISTS bench_transfers; DROP TABLE IF EXISTS bench_accounts;
            CREATE TABLE bench_accounts (id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
            CREATE TABLE bench_transfers (id uuid PRIMARY KEY, from_account int NOT NULL, to_account int NOT NULL, amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
            """))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var command = dataSource.CreateCommand("INSERT INTO bench_accounts SELECT i, $1 FROM generate_series(0, $2 - 1) AS i");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = balance });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = wallets });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> TransferAsync(int from, int to, long amount)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            try
            {
                await using var select = new NpgsqlCommand("SELECT balance FROM bench_accounts WHERE id = $1 FOR UPDATE", connection, transaction);
                select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = from });
                if ((long)(await select.ExecuteScalarAsync())! < amount)
                {
                    return false;
                }

                await using var write = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        Command("UPDATE bench_accounts SET balance = balance - $2 WHERE id = $1", from, amount),
                        Command("UPDATE bench_accounts SET balance = balance + $2 WHERE id = $1", to, amount),
                        new NpgsqlBatchCommand("INSERT INTO bench_transfers (id, from_account, to_account, amount) VALUES ($1, $2, $3, $4)")
                        {
                            Parameters =
                            {
                                new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() },
                                new NpgsqlParameter<int> { TypedValue = from },
                                new NpgsqlParameter<int> { TypedValue = to },
                                new NpgsqlParameter<long> { TypedValue = amount },
                            },
                        },
                    },
                };
                await write.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                return true;
            }
            catch (PostgresException deadlock) when (deadlock.SqlState == PostgresErrorCodes.DeadlockDetected)
            {
                // Retry: this is what such services do.
            }
        }

        return false;
    }

    private static NpgsqlBatchCommand Command(string sql, int account, long amount) => new(sql)
    {
        Parameters = { new NpgsqlParameter<int> { TypedValue = account }, new NpgsqlParameter<long> { TypedValue = amount } },
    };
}
