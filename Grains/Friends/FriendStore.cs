using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Friends;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.SocialNotifications;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Friends;

/// <summary>The friend_requests and friendships tables. Friendship rows come in pairs (both directions) so "friends of X" is one index range.</summary>
public sealed class FriendStore(NpgsqlDataSource dataSource)
{
    private const string RequestColumns =
        """
        r.id, r.requester, fu.username, fu.display_name, r.addressee, tu.username, tu.display_name, r.status, r.created_at
        FROM friend_requests r JOIN users fu ON fu.id = r.requester JOIN users tu ON tu.id = r.addressee
        """;

    /// <summary>A new pending request; ALREADY_FRIENDS or FRIEND_REQUEST_PENDING when the pair already has one or the other.</summary>
    public async Task<Outcome<FriendRequestView>> RequestAsync(Guid id, Guid requester, Guid addressee, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var friends = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM friendships WHERE user_id = $1 AND friend_id = $2)", connection))
        {
            friends.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requester });
            friends.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = addressee });
            if ((bool)(await friends.ExecuteScalarAsync())!)
            {
                return new PaymentError(ErrorCodes.AlreadyFriends, "You are already friends.", "username");
            }
        }

        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO friend_requests (id, requester, addressee, status, created_at, updated_at) VALUES ($1, $2, $3, 'pending', $4, $4)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requester });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = addressee });
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await insert.ExecuteNonQueryAsync();
        }
        catch (PostgresException duplicate) when (duplicate.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return new PaymentError(ErrorCodes.FriendRequestPending, "A friend request between you two is already waiting to be accepted.", "username");
        }

        var request = (await GetRequestAsync(connection, id, transaction))!;
        await StreamOutbox.AppendAsync(connection, transaction, [SocialNotification.For(request.To.Id, NotificationTypes.FriendRequest, request)]);
        await transaction.CommitAsync();
        return request;
    }

    /// <summary>Accepts the pending request <paramref name="id"/> addressed to <paramref name="addressee"/> and writes both friendship rows; null if there is none.</summary>
    public async Task<FriendRequestView?> AcceptAsync(Guid id, Guid addressee, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var accept = new NpgsqlCommand(
            """
            WITH accepted AS (
                UPDATE friend_requests SET status = 'accepted', updated_at = $3
                WHERE id = $1 AND addressee = $2 AND status = 'pending'
                RETURNING requester, addressee)
            INSERT INTO friendships (user_id, friend_id, created_at)
            SELECT requester, addressee, $3 FROM accepted
            UNION ALL
            SELECT addressee, requester, $3 FROM accepted
            ON CONFLICT DO NOTHING
            """, connection, transaction))
        {
            accept.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            accept.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = addressee });
            accept.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await accept.ExecuteNonQueryAsync();
        }

        var request = await GetRequestAsync(connection, id, transaction);
        await transaction.CommitAsync();
        return request is { Status: FriendRequestStatus.Accepted } && request.To.Id == addressee.ToString("D") ? request : null;
    }

    /// <summary>My friends ordered by their user id, after <paramref name="startingAfter"/>.</summary>
    public async Task<FriendPage> FriendsAsync(Guid user, int limit, Guid? startingAfter)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT f.friend_id, u.username, u.display_name, f.created_at
            FROM friendships f JOIN users u ON u.id = f.friend_id
            WHERE f.user_id = $1 AND ($2::uuid IS NULL OR f.friend_id > $2)
            ORDER BY f.friend_id
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        command.Parameters.Add(Cursor(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var rows = new List<FriendView>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new FriendView(reader.GetGuid(0).ToString("D"), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        var (page, hasMore) = PageRows.Trim(rows, limit);
        return new FriendPage(page, hasMore);
    }

    /// <summary>Pending requests sent to (received) or by (sent) <paramref name="user"/>, newest first.</summary>
    public async Task<FriendRequestPage> PendingAsync(Guid user, string role, int limit, Guid? startingAfter)
    {
        var party = role == FriendRequestRole.Sent ? "requester" : "addressee";
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {RequestColumns}
            WHERE r.{party} = $1 AND r.status = 'pending' AND ($2::uuid IS NULL OR r.id < $2)
            ORDER BY r.id DESC
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        command.Parameters.Add(Cursor(startingAfter));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var rows = new List<FriendRequestView>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(ReadRequest(reader));
        }

        var (page, hasMore) = PageRows.Trim(rows, limit);
        return new FriendRequestPage(page, hasMore);
    }

    /// <summary>Deletes both rows of the friendship; false if there was none.</summary>
    public async Task<bool> RemoveAsync(Guid user, Guid friend)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM friendships WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = friend });
        return await command.ExecuteNonQueryAsync() > 0;
    }

    private static async Task<FriendRequestView?> GetRequestAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand($"SELECT {RequestColumns} WHERE r.id = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadRequest(reader) : null;
    }

    private static FriendRequestView ReadRequest(NpgsqlDataReader reader) => new(
        reader.GetGuid(0).ToString("D"),
        new UserProfile(reader.GetGuid(1).ToString("D"), reader.GetString(2), reader.GetString(3)),
        new UserProfile(reader.GetGuid(4).ToString("D"), reader.GetString(5), reader.GetString(6)),
        reader.GetString(7),
        reader.GetFieldValue<DateTimeOffset>(8));

    private static NpgsqlParameter Cursor(Guid? startingAfter) =>
        new() { Value = (object?)startingAfter ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };
}
