using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Grains.Batching;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Ledger;
using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Idempotency;

/// <summary>
/// Idempotency records that carry no ledger effect (business refusals), and the reads of any record; effects write
/// theirs in the ledger batch.
/// </summary>
/// <remarks>
/// A pool of its own (<see cref="PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>), and reads batched: a new
/// key's grain reads its record before a card payment or a deposit, once a request. On the shared pool, one statement
/// a read, each read paid the pool's reset (seven statements) on top of itself: about a third of a card payment's
/// throughput. Nothing here keeps session state.
/// </remarks>
public sealed class IdempotencyRecordStore : IAsyncDisposable
{
    /// <summary>The records' pool.</summary>
    public const string DataSourceKey = "idempotency";

    private readonly NpgsqlDataSource _dataSource;
    private readonly WalFlushBarrier _flushBarrier;
    private readonly IOptions<LedgerWriterOptions> _options;
    private readonly TimeProvider _time;
    private readonly BatchedReader<IdempotencyStamp, (string RequestHash, StoredResponse Response)?> _reads;

    public IdempotencyRecordStore(
        [FromKeyedServices(DataSourceKey)] NpgsqlDataSource dataSource, WalFlushBarrier flushBarrier, IOptions<LedgerWriterOptions> options, TimeProvider time)
    {
        _dataSource = dataSource;
        _flushBarrier = flushBarrier;
        _options = options;
        _time = time;
        _reads = new BatchedReader<IdempotencyStamp, (string, StoredResponse)?>(maxBatchSize: 256, capacity: 10_000, readers: 2, ReadManyAsync);
    }

    public ValueTask DisposeAsync() => _reads.DisposeAsync();

    /// <summary>
    /// Records the response unless the key already has a record; returns the record that stands. A record found
    /// rather than written may come from a ledger batch not yet flushed, so it is returned only after the flush.
    /// </summary>
    public async Task<(string RequestHash, StoredResponse Response)> RecordAsync(IdempotencyStamp stamp, StoredResponse response)
    {
        await using var command = _dataSource.CreateCommand(
            """
            WITH inserted AS (
                INSERT INTO idempotency_records (scope, key, request_hash, status, body, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (scope, key) DO NOTHING
                RETURNING request_hash, status, body)
            SELECT request_hash, status, body, true FROM inserted
            UNION ALL
            SELECT request_hash, status, body, false FROM idempotency_records WHERE scope = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM inserted)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.Scope });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.RequestHash });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = response.Status });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = response.Body });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = _time.GetUtcNow().UtcDateTime + _options.Value.IdempotencyRetention });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"Idempotency record {stamp.Scope}/{stamp.Key} neither inserted nor found.");
        }

        var standing = (reader.GetString(0), new StoredResponse(reader.GetInt32(1), reader.GetString(2)));
        if (!reader.GetBoolean(3))
        {
            await _flushBarrier.WaitForFlushAsync();
        }

        return standing;
    }

    /// <summary>
    /// Saves a change that moves no money (<paramref name="change"/>'s statements) together with its idempotency record,
    /// in one transaction; if the key already has a record, nothing is saved and the standing record is returned
    /// (after the WAL flush, like any record found). <c>Saved</c> says which: the caller's change is its own only then.
    /// </summary>
    public async Task<(string RequestHash, StoredResponse Response, bool Saved)> SaveWithRecordAsync(IdempotencyStamp stamp, StoredResponse response, IEnumerable<NpgsqlBatchCommand> change)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(change);
        var claim = BatchCommands.Command(
            """
            INSERT INTO idempotency_records (scope, key, request_hash, status, body, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (scope, key) DO NOTHING
            """,
            new NpgsqlParameter<string> { TypedValue = stamp.Scope },
            new NpgsqlParameter<string> { TypedValue = stamp.Key },
            new NpgsqlParameter<string> { TypedValue = stamp.RequestHash },
            new NpgsqlParameter<int> { TypedValue = response.Status },
            new NpgsqlParameter<string> { TypedValue = response.Body },
            new NpgsqlParameter<DateTime> { TypedValue = _time.GetUtcNow().UtcDateTime + _options.Value.IdempotencyRetention });
        if (!await TransactionalBatch.ExecuteGuardedAsync(_dataSource, claim, change))
        {
            var (hash, standing) = await FindAsync(stamp) ?? throw new InvalidOperationException($"Idempotency record {stamp.Scope}/{stamp.Key} neither inserted nor found.");
            return (hash, standing, false);
        }

        return (stamp.RequestHash, response, true);
    }

    /// <summary>The record standing under the stamp's key, if any (returned once durable, like a record found above).</summary>
    public async Task<(string RequestHash, StoredResponse Response)?> FindAsync(IdempotencyStamp stamp)
    {
        var found = await _reads.ReadAsync(stamp);
        if (found is not null)
        {
            await _flushBarrier.WaitForFlushAsync();
        }

        return found;
    }

    /// <summary>The records under the stamps' keys, in their order, in one statement.</summary>
    private async Task<IReadOnlyList<(string RequestHash, StoredResponse Response)?>> ReadManyAsync(IReadOnlyList<IdempotencyStamp> stamps)
    {
        await using var command = _dataSource.CreateCommand(
            """
            SELECT r.request_hash, r.status, r.body
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(scope, key, n)
            LEFT JOIN idempotency_records r ON r.scope = s.scope AND r.key = s.key
            ORDER BY s.n
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. stamps.Select(stamp => stamp.Scope)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. stamps.Select(stamp => stamp.Key)] });
        var records = new List<(string, StoredResponse)?>(stamps.Count);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            records.Add(reader.IsDBNull(0) ? null : (reader.GetString(0), new StoredResponse(reader.GetInt32(1), reader.GetString(2))));
        }

        if (records.Count != stamps.Count)
        {
            throw new InvalidOperationException($"Read {records.Count} idempotency records for {stamps.Count} keys.");
        }

        return records;
    }

    /// <summary>
    /// The record under the stamp's key as read on <paramref name="source"/>, not waiting for the WAL flush: the caller
    /// must not act on it outside the database before the flush (the ledger writer answers only after it).
    /// </summary>
    internal static async Task<(string RequestHash, StoredResponse Response)?> ReadAsync(NpgsqlDataSource source, IdempotencyStamp stamp)
    {
        await using var command = source.CreateCommand("SELECT request_hash, status, body FROM idempotency_records WHERE scope = $1 AND key = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.Scope });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stamp.Key });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false)
            ? (reader.GetString(0), new StoredResponse(reader.GetInt32(1), reader.GetString(2)))
            : null;
    }
}
