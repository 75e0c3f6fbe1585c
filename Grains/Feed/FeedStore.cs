using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces.Feed;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.SocialNotifications;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.SocialNotifications;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Feed;

/// <summary>The feed tables as readers use them: feed pages, likes and comments (<see cref="FeedFanOut"/> writes the items).</summary>
public sealed class FeedStore(NpgsqlDataSource dataSource)
{
    /// <summary>The reader's feed, newest first, after the transfer id <paramref name="before"/>.</summary>
    public Task<FeedPage> FeedAsync(Guid reader, int limit, Guid? before) =>
        PageAsync("FROM feed_items i JOIN feed_posts p ON p.transfer_id = i.transfer_id WHERE i.owner_id = $1 AND ($2::uuid IS NULL OR i.transfer_id < $2) ORDER BY i.transfer_id DESC", reader, limit, before);

    /// <summary>Everyone's public transfers, newest first.</summary>
    public Task<FeedPage> PublicAsync(Guid reader, int limit, Guid? before) =>
        PageAsync("FROM feed_posts p WHERE p.visibility = 'public' AND ($2::uuid IS NULL OR p.transfer_id < $2) ORDER BY p.transfer_id DESC", reader, limit, before);

    /// <summary>Whether the reader may see (and so like and comment on) the item: it is in their feed, or public.</summary>
    public async Task<bool> CanSeeAsync(Guid reader, Guid transferId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT EXISTS (SELECT 1 FROM feed_items WHERE owner_id = $1 AND transfer_id = $2)
                OR EXISTS (SELECT 1 FROM feed_posts WHERE transfer_id = $2 AND visibility = 'public')
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = reader });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Likes (<paramref name="liked"/>) or unlikes the item, then counts its likes; both idempotent. A new like tells
    /// the transfer's parties (feed_item), in the same transaction.
    /// </summary>
    public async Task<LikeSummary> SetLikeAsync(Guid reader, Guid transferId, bool liked, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var change = new NpgsqlCommand(
            liked
                ? "INSERT INTO feed_likes (transfer_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                : "DELETE FROM feed_likes WHERE transfer_id = $1 AND user_id = $2",
            connection, transaction))
        {
            change.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
            change.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = reader });
            if (liked)
            {
                change.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            }

            if (await change.ExecuteNonQueryAsync() > 0 && liked)
            {
                await NotifyPartiesAsync(connection, transaction, transferId, reader, FeedActivityKinds.Like, null);
            }
        }

        long count;
        await using (var counter = new NpgsqlCommand("SELECT count(*) FROM feed_likes WHERE transfer_id = $1", connection, transaction))
        {
            counter.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
            count = (long)(await counter.ExecuteScalarAsync())!;
        }

        await transaction.CommitAsync();
        return new LikeSummary(transferId.ToString("D"), count, liked);
    }

    /// <summary>Adds the comment and tells the transfer's parties other than its author (feed_item), in one transaction.</summary>
    public async Task<FeedComment> AddCommentAsync(Guid id, Guid transferId, Guid author, string text, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        FeedComment comment;
        await using (var command = new NpgsqlCommand(
            """
            WITH inserted AS (
                INSERT INTO feed_comments (id, transfer_id, author_id, text, created_at) VALUES ($1, $2, $3, $4, $5)
                RETURNING id, transfer_id, author_id, text, created_at)
            SELECT c.id, c.transfer_id, c.author_id, u.username, u.display_name, c.text, c.created_at
            FROM inserted c JOIN users u ON u.id = c.author_id
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = author });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            comment = ReadComment(reader);
        }

        await NotifyPartiesAsync(connection, transaction, transferId, author, FeedActivityKinds.Comment, text);
        await transaction.CommitAsync();
        return comment;
    }

    /// <summary>
    /// Appends a feed_item notification for each party of the transfer other than <paramref name="actor"/>. Only the two
    /// parties are told, never the (possibly thousands of) other feed owners: a like or comment concerns them.
    /// </summary>
    private static async Task NotifyPartiesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid transferId, Guid actor, string kind, string? text)
    {
        var notifications = new List<OutboxMessage>(2);
        await using (var command = new NpgsqlCommand(
            "SELECT p.from_user, p.to_user, u.username, u.display_name FROM feed_posts p, users u WHERE p.transfer_id = $1 AND u.id = $2", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = actor });
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return;
            }

            var activity = new FeedActivity(transferId.ToString("D"), kind, new UserProfile(actor.ToString("D"), reader.GetString(2), reader.GetString(3)), text);
            foreach (var party in new[] { reader.GetGuid(0), reader.GetGuid(1) }.Where(party => party != actor))
            {
                notifications.Add(SocialNotification.For(party.ToString("D"), NotificationTypes.FeedItem, activity));
            }
        }

        if (notifications.Count > 0)
        {
            await StreamOutbox.AppendAsync(connection, transaction, notifications);
        }
    }

    /// <summary>The item's comments, oldest first, after the comment <paramref name="startingAfter"/>.</summary>
    public async Task<CommentPage> CommentsAsync(Guid transferId, int limit, Guid? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT c.id, c.transfer_id, c.author_id, u.username, u.display_name, c.text, c.created_at
            FROM feed_comments c JOIN users u ON u.id = c.author_id
            WHERE c.transfer_id = $1 AND ($2::uuid IS NULL OR c.id > $2)
            ORDER BY c.id
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = transferId });
        command.Parameters.Add(NullableUuid(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var rows = new List<FeedComment>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(ReadComment(reader));
        }

        var (page, hasMore) = PageRows.Trim(rows, limit);
        return new CommentPage(page, hasMore);
    }

    /// <summary>One page of posts chosen by <paramref name="source"/> (FROM … ORDER BY over alias p, with $1 the reader and $2 the cursor).</summary>
    private async Task<FeedPage> PageAsync(string source, Guid reader, int limit, Guid? before)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT p.transfer_id, p.from_user, fu.username, fu.display_name, p.to_user, tu.username, tu.display_name,
                   p.amount, p.currency, p.note, p.visibility, p.created_at,
                   (SELECT count(*) FROM feed_likes l WHERE l.transfer_id = p.transfer_id),
                   (SELECT count(*) FROM feed_comments c WHERE c.transfer_id = p.transfer_id),
                   EXISTS (SELECT 1 FROM feed_likes l WHERE l.transfer_id = p.transfer_id AND l.user_id = $1)
            FROM (SELECT p.* {source} LIMIT $3) p
            JOIN users fu ON fu.id = p.from_user
            JOIN users tu ON tu.id = p.to_user
            ORDER BY p.transfer_id DESC
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = reader });
        command.Parameters.Add(NullableUuid(before));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var items = new List<FeedItemView>(limit + 1);
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            var from = new UserProfile(rows.GetGuid(1).ToString("D"), rows.GetString(2), rows.GetString(3));
            var to = new UserProfile(rows.GetGuid(4).ToString("D"), rows.GetString(5), rows.GetString(6));
            var isParty = rows.GetGuid(1) == reader || rows.GetGuid(4) == reader;
            items.Add(new FeedItemView(
                rows.GetGuid(0).ToString("D"), from, to,
                isParty ? rows.GetInt64(7) : null,
                isParty ? rows.GetString(8) : null,
                rows.GetString(9), rows.GetString(10), rows.GetFieldValue<DateTimeOffset>(11),
                rows.GetInt64(12), rows.GetInt64(13), rows.GetBoolean(14)));
        }

        var (page, hasMore) = PageRows.Trim(items, limit);
        return new FeedPage(page, hasMore);
    }

    private static FeedComment ReadComment(NpgsqlDataReader reader) => new(
        reader.GetGuid(0).ToString("D"),
        reader.GetGuid(1).ToString("D"),
        new UserProfile(reader.GetGuid(2).ToString("D"), reader.GetString(3), reader.GetString(4)),
        reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6));

    private static NpgsqlParameter NullableUuid(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };
}
