using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// The bridge between a consumer grain, which sees why an event fails, and the pulling agent's failure handler, which
/// knows when delivery gives up but learns only the subscription and the event's token. The grain notes each failed
/// delivery of a single event (<c>stream_delivery_failures</c>: attempts and last error); the handler turns the note
/// and the event into a dead letter. Notes of events that got through later are trimmed by the outbox janitor.
/// </summary>
internal sealed partial class StreamDeliveryFailures(NpgsqlDataSource dataSource, ILogger<StreamDeliveryFailures> logger)
{
    /// <summary>Longest error text kept (a stack trace is in the log, not here).</summary>
    public const int MaxErrorLength = 2_000;

    /// <summary>Notes are read minutes after they are written at most; a day covers every retry setting allowed.</summary>
    public static readonly TimeSpan NoteLifetime = TimeSpan.FromDays(1);

    private const string NoteSql =
        """
        INSERT INTO stream_delivery_failures (subscription_id, event_id, grain_type, grain_key, attempts, error)
        VALUES ($1, $2, $3, $4, 1, $5)
        ON CONFLICT (subscription_id, event_id) DO UPDATE
        SET attempts = stream_delivery_failures.attempts + 1, error = EXCLUDED.error, noted_at = now()
        """;

    // The note, if the consumer ever ran, gives the grain, the attempts and the error; without one the subscription
    // stands for the consumer. A repeat (the agent of another silo giving up on the same event) is ignored.
    private const string DeadLetterSql =
        """
        WITH event AS (
            SELECT event_id, stream_namespace, stream_key, position, type, payload FROM outbox_events
            WHERE transaction_id = $1 AND position = $2),
        note AS (
            DELETE FROM stream_delivery_failures WHERE subscription_id = $3 AND event_id = (SELECT event_id FROM event)
            RETURNING grain_type, grain_key, attempts, error)
        INSERT INTO stream_dead_letters (consumer, grain_type, grain_key, event_id, stream_namespace, stream_key, position, type, payload, attempts, error)
        SELECT coalesce(n.grain_type, 'subscription ' || $3::text), coalesce(n.grain_type, 'unknown'), coalesce(n.grain_key, $3::text),
               e.event_id, e.stream_namespace, e.stream_key, e.position, e.type, e.payload::jsonb, coalesce(n.attempts, 0), coalesce(n.error, $4)
        FROM event e LEFT JOIN note n ON true
        ON CONFLICT (consumer, grain_type, grain_key, event_id) DO NOTHING
        """;

    /// <summary>
    /// Notes that <paramref name="grain"/> failed to apply event <paramref name="eventId"/> of subscription
    /// <paramref name="subscriptionId"/>. Never throws: a note that cannot be written only makes the dead letter vaguer,
    /// and the caller is about to rethrow the error that matters.
    /// </summary>
    public async Task NoteAsync(Guid subscriptionId, GrainId grain, Guid eventId, Exception error)
    {
        try
        {
            await using var command = dataSource.CreateCommand(NoteSql);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = subscriptionId });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = eventId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Type.ToString()! });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grain.Key.ToString()! });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Describe(error) });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception noteError) when (noteError is NpgsqlException or TimeoutException)
        {
            LogNoteFailed(logger, noteError, eventId, grain.ToString());
        }
    }

    /// <summary>
    /// Records the event at <paramref name="position"/> as a dead letter of <paramref name="subscriptionId"/>, with its
    /// note or else <paramref name="unnotedError"/>; false if nothing was recorded (already recorded, or no such event).
    /// </summary>
    public async Task<bool> DeadLetterAsync(Guid subscriptionId, OutboxPosition position, string unnotedError, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DeadLetterSql);
        command.Parameters.Add(OutboxLog.TransactionId(position.TransactionId));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = position.Position });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = unnotedError, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes notes not updated for <see cref="NoteLifetime"/>: their events got through or are dead letters.</summary>
    public async Task<long> TrimAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM stream_delivery_failures WHERE noted_at < now() - $1");
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = NoteLifetime });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Describe(Exception error)
    {
        var text = $"{error.GetType().Name}: {error.Message}";
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not note the failed delivery of event {EventId} to {Grain}; its dead letter, if any, will lack the error")]
    private static partial void LogNoteFailed(ILogger logger, Exception error, Guid eventId, string grain);
}
