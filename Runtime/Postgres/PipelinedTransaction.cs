using Npgsql;

namespace Orleans.Payments.Runtime.Postgres;

/// <summary>
/// A transaction written as batches that carry their own BEGIN and COMMIT, so that a group commit holding hot locks
/// spends no round trip (and no wake-up of its process) on BEGIN or COMMIT alone: a batch from <see cref="Begin"/>
/// opens it; <see cref="CommitAsync"/> sends its statements with the COMMIT. After an error the server skips the rest
/// of that batch, COMMIT included; the transaction stays open (failed) until the connection goes back to the pool,
/// which rolls it back.
/// </summary>
public static class PipelinedTransaction
{
    /// <summary>A batch that starts a transaction; add the first statements and execute it.</summary>
    public static NpgsqlBatch Begin(NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        return batch;
    }

    /// <summary>Executes <paramref name="batch"/>'s statements and commits them, in one round trip.</summary>
    public static async Task CommitAsync(NpgsqlBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
