using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Grains.Batching;
using Payments.Grains.Interfaces.Transfers;
using Payments.Infrastructure.Hosting;

namespace Payments.Grains.Feed;

/// <summary>
/// The silo's fan-out writer. Stream delivery calls one <see cref="TransferFeedGrain"/> per sender, so a burst from
/// thousands of senders would otherwise be thousands of small transactions at once; here they queue and are written
/// <see cref="MaxTransfersPerStatement"/> transfers per statement by two writers, on a pool of their own (see
/// <see cref="Runtime.Postgres.PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>).
/// </summary>
public sealed class FeedFanOut : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The writers' pool.</summary>
    public const string DataSourceKey = "feed-fan-out";

    /// <summary>
    /// Most transfers fanned out by one statement (and transaction). Bounds the rows a statement writes: with 1,000
    /// friends per party, 128 transfers are about 128,000 feed items.
    /// </summary>
    public const int MaxTransfersPerStatement = 128;

    private const int Writers = 2;
    private const int QueueCapacity = 16_384;

    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitQueue<TransferView> _queue;

    public FeedFanOut([FromKeyedServices(DataSourceKey)] NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _queue = new GroupCommitQueue<TransferView>(MaxTransfersPerStatement, QueueCapacity, Writers, WriteAsync);
    }

    /// <summary>Completes when the transfers' posts and feed items are written.</summary>
    public Task FanOutAsync(IReadOnlyList<TransferView> transfers) => _queue.WriteAsync(transfers);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FeedFanOut), WriterLifecycleStage.Value, StartAsync, StopAsync);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes what was queued before the stop; delivery (stopped first) sends nothing more.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _queue.CompleteAsync();

    /// <summary>
    /// One statement: the posts, and their feed items for the two parties always and, for public and friends
    /// transfers, every friend of either party. A post that already exists was fanned out by the same statement
    /// earlier (a redelivered event), so it is skipped whole; the items' primary key backs that up.
    /// </summary>
    private async Task WriteAsync(IReadOnlyList<TransferView> transfers)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(transfers.Count, MaxTransfersPerStatement);
        await using var command = _dataSource.CreateCommand(
            """
            WITH posts AS (
                INSERT INTO feed_posts (transfer_id, from_user, to_user, amount, currency, note, visibility, created_at)
                SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
                ON CONFLICT (transfer_id) DO NOTHING
                RETURNING transfer_id, from_user, to_user, visibility)
            INSERT INTO feed_items (owner_id, transfer_id)
            SELECT owners.owner_id, posts.transfer_id
            FROM posts CROSS JOIN LATERAL (
                SELECT posts.from_user
                UNION
                SELECT posts.to_user
                UNION
                SELECT f.friend_id FROM friendships f
                WHERE posts.visibility <> 'private' AND f.user_id IN (posts.from_user, posts.to_user)) AS owners (owner_id)
            ON CONFLICT DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. transfers.Select(t => Guid.Parse(t.Id))] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. transfers.Select(t => Guid.Parse(t.From))] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. transfers.Select(t => Guid.Parse(t.To))] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. transfers.Select(t => t.Amount)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. transfers.Select(t => t.Currency)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. transfers.Select(t => t.Note)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. transfers.Select(t => t.Visibility)] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. transfers.Select(t => t.CreatedAt.UtcDateTime)] });
        await command.ExecuteNonQueryAsync();
    }
}
