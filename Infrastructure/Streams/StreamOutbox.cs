using Npgsql;
using NpgsqlTypes;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Appends events to the stream log (the <c>outbox_events</c> table) inside the producer's own transaction, so an
/// event exists if and only if the change it reports committed. One statement per call, whatever the count.
/// </summary>
public static class StreamOutbox
{
    /// <summary>Most events appended by one statement; a producer with more splits them.</summary>
    public const int MaxEventsPerStatement = 10_000;

    private const string InsertSql =
        """
        INSERT INTO outbox_events (event_id, stream_namespace, stream_key, type, payload)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::json[])
        """;

    /// <summary>A batch command appending <paramref name="events"/>, for producers that send their writes as one <see cref="NpgsqlBatch"/>.</summary>
    public static NpgsqlBatchCommand AppendCommand(IReadOnlyCollection<OutboxMessage> events)
    {
        var command = new NpgsqlBatchCommand(InsertSql);
        AddParameters(command.Parameters, events);
        return command;
    }

    /// <summary>Appends <paramref name="events"/> on <paramref name="connection"/>, in <paramref name="transaction"/> (the producer's).</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<OutboxMessage> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        AddParameters(command.Parameters, events);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, IReadOnlyCollection<OutboxMessage> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count is 0 or > MaxEventsPerStatement)
        {
            throw new ArgumentOutOfRangeException(nameof(events), events.Count, $"Append 1 to {MaxEventsPerStatement} events per statement.");
        }

        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = events.Select(item => item.EventId).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(item => item.Stream.GetNamespace()!).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(item => item.Stream.GetKeyAsString()).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(item => item.Type).ToArray() });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(item => item.PayloadJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
    }
}
