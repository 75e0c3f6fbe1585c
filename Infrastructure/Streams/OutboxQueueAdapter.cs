using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// The provider's queues: one receiver per outbox partition, and appends for producers that go through Orleans
/// (<c>IAsyncStream&lt;StreamEvent&gt;.OnNextAsync</c>). Domain producers append with <see cref="StreamOutbox"/> in the
/// transaction of the change they report instead; an Orleans producer has no such transaction, so its events are
/// appended in one of their own. Not rewindable: a consumer cannot ask for old events, the outbox is not kept for that.
/// </summary>
internal sealed class OutboxQueueAdapter(string name, OutboxLog log, NpgsqlDataSource dataSource, StreamOptions options, ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new OutboxQueueReceiver(queueId, log, options, loggerFactory.CreateLogger<OutboxQueueReceiver>());

    /// <summary>Appends <paramref name="events"/> (each a <see cref="StreamEvent"/>, keeping its id and type) to the outbox, in one transaction.</summary>
    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (token is not null)
        {
            throw new ArgumentException("The outbox stream provider is not rewindable: events take no token.", nameof(token));
        }

        var messages = events.Select(item => item is StreamEvent streamEvent
                ? new OutboxMessage(streamEvent.EventId, streamId, streamEvent.Type, streamEvent.Payload.GetRawText())
                : throw new ArgumentException($"The outbox carries {nameof(StreamEvent)}s, not {typeof(T).Name}.", nameof(events)))
            .ToList();
        if (messages.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        foreach (var chunk in messages.Chunk(StreamOutbox.MaxEventsPerStatement))
        {
            await StreamOutbox.AppendAsync(connection, transaction, chunk).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
    }
}
