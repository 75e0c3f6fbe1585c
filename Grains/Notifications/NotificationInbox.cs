using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Payments.Grains.Batching;
using Payments.Grains.Interfaces.Notifications;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Hosting;

namespace Payments.Grains.Notifications;

/// <summary>
/// The durable inbox (<c>notifications</c>) and the silo's group commit for it: producers queue notifications and a
/// writer stores whatever has queued in one statement that also NOTIFYs the front ends, so a push never precedes
/// the commit and thousands of notifications a second cost a few transactions. A repeated (user, id) is skipped
/// and not pushed again.
/// </summary>
public sealed partial class NotificationInbox : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The writers' pool (see <see cref="PostgresServiceCollectionExtensions.AddDedicatedDataSource"/>); reads use the shared one.</summary>
    public const string WritersDataSourceKey = "notification-inbox";

    // Inbox writers on every silo may write for one user at once. Each transaction first takes a lock per user it
    // writes for (in one order, so writers never deadlock), so a user's rows commit in sequence order: a client that
    // asks for what came after a notification it was pushed can never pass over one that commits later.
    private const string LockUsersSql =
        """
        SELECT count(pg_advisory_xact_lock($1, key))
        FROM (SELECT DISTINCT hashtext(user_id) AS key FROM unnest($2::text[]) AS u(user_id) ORDER BY key) AS keys
        """;

    // First half of the two-key advisory lock ("NTFY").
    private const int UserLockClass = 0x4E54_4659;

    private const string AppendSql =
        """
        WITH inserted AS (
            INSERT INTO notifications (user_id, id, type, data, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::json[], $5::timestamptz[])
            ON CONFLICT (user_id, id) DO NOTHING
            RETURNING user_id, id, type, data, created_at)
        SELECT count(pg_notify($6, user_id || E'\n' ||
            json_build_object('type', type, 'data', data, 'id', id, 'createdAt', created_at)::text))
        FROM inserted
        """;

    private readonly GroupCommitQueue<(string UserId, NotificationMessage Message)> _queue;
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _writersDataSource;
    private readonly WalFlushBarrier _flushBarrier;
    private readonly ILogger<NotificationInbox> _logger;

    public NotificationInbox(
        NpgsqlDataSource dataSource,
        [FromKeyedServices(WritersDataSourceKey)] NpgsqlDataSource writersDataSource,
        WalFlushBarrier flushBarrier,
        IOptions<NotificationOptions> options,
        ILogger<NotificationInbox> logger)
    {
        _dataSource = dataSource;
        _writersDataSource = writersDataSource;
        _flushBarrier = flushBarrier;
        _logger = logger;
        var settings = options.Value;
        _queue = new GroupCommitQueue<(string, NotificationMessage)>(settings.MaxBatchSize, settings.QueueCapacity, settings.Writers, WriteAsync);
    }

    /// <summary>Stores the notifications (each once per user and id) and completes when they are durable and pushed.</summary>
    public Task AppendAsync(IReadOnlyList<(string UserId, NotificationMessage Message)> notifications)
    {
        foreach (var (_, message) in notifications)
        {
            Validate(message);
        }

        return _queue.WriteAsync(notifications);
    }

    /// <summary>
    /// A user's notifications after <paramref name="afterId"/> (from the start when null), oldest first; null when
    /// <paramref name="afterId"/> names none of the user's notifications (never one, or deleted past the retention).
    /// </summary>
    public async Task<IReadOnlyList<NotificationMessage>?> AfterAsync(string userId, string? afterId, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, NotificationLimits.MaxPage);
        await using var batch = _dataSource.CreateBatch();
        var known = new NpgsqlBatchCommand("SELECT $2::text IS NULL OR EXISTS (SELECT FROM notifications WHERE user_id = $1 AND id = $2)");
        var page = new NpgsqlBatchCommand(
            """
            SELECT id, type, data, created_at FROM notifications
            WHERE user_id = $1 AND sequence > coalesce((SELECT sequence FROM notifications WHERE user_id = $1 AND id = $2), 0)
            ORDER BY sequence LIMIT $3
            """);
        foreach (var command in new[] { known, page })
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
            command.Parameters.Add(BatchCommands.Text(afterId));
        }

        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        batch.BatchCommands.Add(known);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (!reader.GetBoolean(0))
        {
            return null;
        }

        await reader.NextResultAsync();
        var messages = new List<NotificationMessage>();
        while (await reader.ReadAsync())
        {
            messages.Add(new NotificationMessage(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<JsonElement>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return messages;
    }

    private static void Validate(NotificationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Id) || message.Id.Length > NotificationIds.MaxLength)
        {
            throw new ArgumentException($"A notification id has 1 to {NotificationIds.MaxLength} characters.", nameof(message));
        }

        if (string.IsNullOrEmpty(message.Type) || message.Type.Length > NotificationLimits.MaxTypeLength)
        {
            throw new ArgumentException($"A notification type has 1 to {NotificationLimits.MaxTypeLength} characters.", nameof(message));
        }

        if (System.Text.Encoding.UTF8.GetByteCount(message.Data.GetRawText()) > NotificationLimits.MaxDataBytes)
        {
            throw new ArgumentException($"A notification's data is at most {NotificationLimits.MaxDataBytes} bytes of JSON.", nameof(message));
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NotificationInbox), WriterLifecycleStage.Value, StartAsync, StopAsync);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Notifications queued before the stop are still written.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _queue.CompleteAsync();

    private async Task WriteAsync(IReadOnlyList<(string UserId, NotificationMessage Message)> batch)
    {
        try
        {
            await WriteOnceAsync(batch);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            LogWriteFailed(_logger, error, batch.Count);
            throw;
        }
    }

    private async Task WriteOnceAsync(IReadOnlyList<(string UserId, NotificationMessage Message)> batch)
    {
        await using var connection = await _writersDataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockUsers = new NpgsqlBatch(connection, transaction))
        {
            // Early lock release, as in the ledger: the users' locks go with the commit record into the WAL buffer,
            // and the append completes only after WalFlushBarrier has flushed past it (below). A push may so reach a
            // socket just before the flush; if the server crashed then, the stream redelivers the event and the
            // same notification (same id) is stored and pushed again: at least once, as promised.
            lockUsers.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit TO off"));
            var lockCommand = new NpgsqlBatchCommand(LockUsersSql);
            lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = UserLockClass });
            lockCommand.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(item => item.UserId).ToArray() });
            lockUsers.BatchCommands.Add(lockCommand);
            await lockUsers.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(AppendSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(item => item.UserId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(item => item.Message.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(item => item.Message.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(item => item.Message.Data.GetRawText()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = batch.Select(item => item.Message.CreatedAt.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = NotificationPush.Channel });
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        await _flushBarrier.WaitForFlushAsync();
    }

    [LoggerMessage(1, LogLevel.Warning, "Writing {Count} notifications failed; their producers get the error and their stream redelivers")]
    private static partial void LogWriteFailed(ILogger logger, Exception error, int count);
}
