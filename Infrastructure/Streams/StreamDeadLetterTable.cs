using System.Text.Json;
using Npgsql;

namespace Payments.Infrastructure.Streams;

/// <summary>Reads the dead-letter table for operators, oldest first, a page at a time.</summary>
public sealed class StreamDeadLetterTable(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 100;

    /// <summary>Up to <paramref name="limit"/> dead letters with an id above <paramref name="afterId"/>, and whether more follow.</summary>
    public async Task<(IReadOnlyList<StreamDeadLetter> Items, bool HasMore)> ListAsync(long afterId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, consumer, grain_type || '/' || grain_key, event_id, stream_namespace, stream_key, position, type, payload, attempts, error, failed_at
            FROM stream_dead_letters WHERE id > $1 ORDER BY id LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        var items = new List<StreamDeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new StreamDeadLetter(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), reader.GetString(7), reader.GetFieldValue<JsonElement>(8), reader.GetInt32(9), reader.GetString(10),
                reader.GetFieldValue<DateTimeOffset>(11)));
        }

        var hasMore = items.Count > limit;
        return (hasMore ? items[..limit] : items, hasMore);
    }
}
