using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using Payments.Infrastructure.Streams;

namespace Payments.Infrastructure.Tests.Grains;

/// <summary>The consumer of the "test-orders" streams: one grain per stream, keyed by the stream's key.</summary>
public interface IStreamRecorderGrain : IGrainWithStringKey;

/// <summary>
/// Applies each event by inserting its id into <c>applied_events</c> (unique): a redelivered event changes nothing,
/// so the table shows loss (a missing id), double application (impossible by the constraint, and checked by count) and
/// order (the identity column records the order of application). A batch holding an event whose payload says "poison"
/// throws before applying anything.
/// </summary>
[ImplicitStreamSubscription(Namespace)]
public sealed class StreamRecorderGrain(NpgsqlDataSource dataSource) : StreamConsumerGrain, IStreamRecorderGrain
{
    public const string Namespace = "test-orders";

    public const string CreateTableSql =
        "CREATE TABLE IF NOT EXISTS applied_events (applied bigint GENERATED ALWAYS AS IDENTITY, event_id uuid PRIMARY KEY, stream_key text NOT NULL, seq int NOT NULL)";

    private readonly RecentEventIds _recent = new();

    /// <summary>Every delivery (including repeats), for tests that look at redelivery.</summary>
    public static ConcurrentQueue<Guid> Received { get; } = new();

    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        foreach (var item in events)
        {
            Received.Enqueue(item.EventId);
        }

        var fresh = _recent.Unseen(events);
        if (fresh.Any(item => item.Payload.GetProperty("poison").GetBoolean()))
        {
            throw new InvalidOperationException("This event cannot be applied.");
        }

        await using var command = dataSource.CreateCommand(
            "INSERT INTO applied_events (event_id, stream_key, seq) SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[]) ON CONFLICT (event_id) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = fresh.Select(item => item.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = fresh.Select(item => item.Stream.GetKeyAsString()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = fresh.Select(item => item.Payload.GetProperty("seq").GetInt32()).ToArray() });
        await command.ExecuteNonQueryAsync();
        _recent.MarkApplied(fresh);
    }

    /// <summary>An event of stream (test-orders, <paramref name="key"/>) numbered <paramref name="seq"/>.</summary>
    public static OutboxMessage Event(string key, int seq, bool poison = false) =>
        OutboxMessage.Create(Namespace, key, "OrderPlaced", JsonSerializer.Serialize(new { seq, poison }));
}
