using Npgsql;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// One dedicated connection per silo that holds its partition leases as session advisory locks and listens for new
/// events. When the silo dies its connection drops, PostgreSQL releases the locks, and another silo takes the
/// partitions over from their checkpoints. Used by one loop at a time: a connection runs one command at a time.
/// </summary>
internal sealed class StreamPartitionLeases : IAsyncDisposable
{
    public const string Channel = "outbox_events";

    // First half of the two-key advisory lock ("STRM"); the two-key space does not overlap the one-key space
    // the schema migrator uses.
    private const int LockClass = 0x5354_524D;
    private const string ApplicationName = "orleans-payments-stream-leases";

    private readonly NpgsqlConnection _connection;

    private StreamPartitionLeases(NpgsqlConnection connection) => _connection = connection;

    public static async Task<StreamPartitionLeases> OpenAsync(NpgsqlDataSource dataSource, Action onNotification, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            connection.Notification += (_, _) => onNotification();
            // Named, so silos can count the delivering silos by their lease connections (see CountHoldersAsync).
            await using var listen = new NpgsqlCommand($"SET application_name TO '{ApplicationName}'; LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new StreamPartitionLeases(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Silos delivering on this database now: one lease connection each. Membership would also count silos that do
    /// not deliver (<c>Deliver=false</c>) or have stopped, and a share computed over them would leave partitions unleased.
    /// </summary>
    public async Task<int> CountHoldersAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1", _connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ApplicationName });
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Takes the lease of <paramref name="partition"/> if no other silo holds it.</summary>
    public async Task<bool> TryAcquireAsync(int partition, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", _connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockClass });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task ReleaseAsync(int partition, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", _connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockClass });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = partition });
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for notifications (raised through the callback); throws if the connection broke.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _connection.WaitAsync(timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_connection.FullState == System.Data.ConnectionState.Open)
        {
            try
            {
                // The connection goes back to the pool: it must not keep locks or a LISTEN there.
                await using var reset = new NpgsqlCommand("SELECT pg_advisory_unlock_all(); UNLISTEN *", _connection);
                await reset.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // A broken connection holds nothing any more; the pool discards it.
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
