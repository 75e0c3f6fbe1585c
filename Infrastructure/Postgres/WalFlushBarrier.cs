using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Payments.Infrastructure.Postgres;

/// <summary>
/// Early lock release for group commits. A writer commits with <c>synchronous_commit</c> off, so its locks (a hot
/// row above all) are released as soon as the commit record is in the WAL buffer and the next transaction need not
/// wait for the disk; it tells nobody of the commit until this barrier has run a later transaction that commits
/// synchronously: flushing that transaction's commit record flushes the WAL before it, the writer's commit included.
/// So what is acknowledged is as durable as with synchronous commit.
/// <para>
/// Waiters that arrive while a flush runs join the next one (which starts after their commit returned), so one
/// fsync covers every commit made before it began, however many writers there are.
/// </para>
/// <para>
/// The price: another session may read such rows in the moment between their commit and the flush. If the
/// database crashed in that moment they would be lost with everything after them in the WAL (including any
/// transaction that read them), and no client was ever told they were written. Readers that act on what they read
/// outside the database (stream delivery) wait for the barrier first.
/// </para>
/// </summary>
public sealed class WalFlushBarrier([FromKeyedServices(WalFlushBarrier.DataSourceKey)] NpgsqlDataSource dataSource)
{
    /// <summary>The barrier's pool (see <see cref="PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>).</summary>
    public const string DataSourceKey = "wal-flush";

    // A transactional logical message is the cheapest write that takes a transaction id, so committing it flushes
    // the WAL up to its commit record (a transaction that only reads flushes nothing). It touches no table.
    // synchronous_commit is forced on: a server configured without it still gets durable acknowledgements.
    private static readonly string[] FlushStatements =
    [
        "BEGIN",
        "SET LOCAL synchronous_commit TO on",
        "SELECT pg_logical_emit_message(true, 'orleans-payments/flush', '')",
        "COMMIT",
    ];

    private readonly Lock _gate = new();
    private TaskCompletionSource? _nextFlush;
    private bool _flushing;

    /// <summary>Completes once everything committed before this call is durable; faults if the flush failed.</summary>
    public Task WaitForFlushAsync()
    {
        lock (_gate)
        {
            _nextFlush ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var flushed = _nextFlush.Task;
            if (!_flushing)
            {
                _flushing = true;
                _ = Task.Run(FlushWhileWaitedForAsync);
            }

            return flushed;
        }
    }

    private async Task FlushWhileWaitedForAsync()
    {
        while (true)
        {
            TaskCompletionSource round;
            lock (_gate)
            {
                if (_nextFlush is null)
                {
                    _flushing = false;
                    return;
                }

                round = _nextFlush;
                _nextFlush = null;
            }

            try
            {
                await FlushAsync().ConfigureAwait(false);
                round.SetResult();
            }
            catch (Exception error)
            {
                round.SetException(error);
            }
        }
    }

    /// <summary>One round trip: the four statements travel together.</summary>
    private async Task FlushAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in FlushStatements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
