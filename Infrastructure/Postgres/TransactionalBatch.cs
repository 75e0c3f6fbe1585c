using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>Statements that commit all together or not at all.</summary>
public static class TransactionalBatch
{
    /// <summary>
    /// Runs the statements in one round trip. Npgsql ends a batch with a single Sync, so PostgreSQL runs it as one
    /// implicit transaction: an error in any statement rolls back every one, with no BEGIN or COMMIT to send.
    /// </summary>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, IEnumerable<NpgsqlBatchCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var batch = dataSource.CreateBatch();
        AddAll(batch, commands);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="guard"/> first and the statements after it only if the guard changed a row (a version
    /// check, a claim), in one transaction. False, with nothing committed, when the guard changed none.
    /// </summary>
    public static async Task<bool> ExecuteGuardedAsync(NpgsqlDataSource dataSource, NpgsqlBatchCommand guard, IEnumerable<NpgsqlBatchCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var first = new NpgsqlBatch(connection, transaction) { BatchCommands = { guard } })
        {
            if (await first.ExecuteNonQueryAsync().ConfigureAwait(false) == 0)
            {
                await transaction.RollbackAsync().ConfigureAwait(false);
                return false;
            }
        }

        await using var rest = new NpgsqlBatch(connection, transaction);
        AddAll(rest, commands);
        if (rest.BatchCommands.Count > 0)
        {
            await rest.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return true;
    }

    private static void AddAll(NpgsqlBatch batch, IEnumerable<NpgsqlBatchCommand> commands)
    {
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }
    }
}
