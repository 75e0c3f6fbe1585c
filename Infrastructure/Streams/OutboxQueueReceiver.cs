using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Reads one partition of the outbox for its queue's pulling agent. It starts at the partition's checkpoint, reads on
/// from where its last read ended, and moves the checkpoint when the queue cache releases delivered containers (a
/// prefix of what was read, see <see cref="OutboxQueueCache"/>), or past other partitions' rows when it has nothing
/// left to deliver (<see cref="CheckpointQuietAsync"/>). Events read but not yet released are read again by
/// whoever reads the partition next (after a restart or when Orleans moves the queue): at least once.
/// A silo that does not deliver (<see cref="StreamOptions.Deliver"/> off) reads nothing and checkpoints nothing.
/// </summary>
internal sealed partial class OutboxQueueReceiver(QueueId queue, OutboxLog log, StreamOptions options, ILogger<OutboxQueueReceiver> logger) : IQueueAdapterReceiver
{
    private readonly int _partition = OutboxQueueMapper.PartitionOf(queue);
    // Null until the checkpoint is loaded: the agent goes on reading even if Initialize failed, and reading from the
    // start instead would deliver the whole outbox again.
    private OutboxPosition? _readFrom;
    // The last event handed to the cache, and how far the checkpoint has been moved (by releases or quiet walks).
    private OutboxPosition? _handedOut;
    private OutboxPosition _released = OutboxPosition.Start;
    private long _quietCheckpointAt;

    /// <summary>How often at most a partition with nothing to deliver moves its checkpoint past the rows it walked.</summary>
    public static readonly TimeSpan QuietCheckpointInterval = TimeSpan.FromSeconds(5);

    public async Task Initialize(TimeSpan timeout)
    {
        if (!options.Deliver)
        {
            LogNotDelivering(logger, _partition);
            return;
        }

        using var timeLimit = new CancellationTokenSource(timeout);
        await LoadCheckpointAsync(timeLimit.Token).ConfigureAwait(false);
    }

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    /// <summary>The partition's next events (at most <paramref name="maxCount"/>, the room left in the cache), as containers.</summary>
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var limit = maxCount == QueueAdapterConstants.UNLIMITED_GET_QUEUE_MSG ? options.BatchSize : Math.Min(maxCount, options.BatchSize);
        if (!options.Deliver || limit <= 0)
        {
            return [];
        }

        var readFrom = _readFrom ?? await LoadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var read = await log.ReadAsync(_partition, options.Partitions, readFrom, limit, cancellationToken).ConfigureAwait(false);
        _readFrom = read.Next;
        if (read.Events.Count == 0)
        {
            await CheckpointQuietAsync(read.Next, cancellationToken).ConfigureAwait(false);
            return [];
        }

        _handedOut = read.Events[^1].Position;
        return Containers(read.Events);
    }

    /// <summary>
    /// Moves the checkpoint of a partition with nothing left to deliver past the other partitions' rows it walked, at
    /// most every <see cref="QuietCheckpointInterval"/>: otherwise a quiet partition's checkpoint would stay behind, the
    /// outbox janitor (which trims below the lowest checkpoint) would never trim, and a restart would walk it all again.
    /// </summary>
    private async Task CheckpointQuietAsync(OutboxPosition walkedTo, CancellationToken cancellationToken)
    {
        var nothingPending = _handedOut is not { } handedOut || _released >= handedOut;
        if (!nothingPending || walkedTo <= _released || Environment.TickCount64 - _quietCheckpointAt < QuietCheckpointInterval.TotalMilliseconds)
        {
            return;
        }

        await log.SaveCheckpointAsync(_partition, walkedTo, cancellationToken).ConfigureAwait(false);
        (_released, _quietCheckpointAt) = (walkedTo, Environment.TickCount64);
    }

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    /// <summary>Moves the checkpoint past <paramref name="messages"/>, which the cache released in read order.</summary>
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        var delivered = messages.Cast<OutboxBatchContainer>().Max(container => container.End);
        _released = delivered > _released ? delivered : _released;
        return log.SaveCheckpointAsync(_partition, delivered, cancellationToken);
    }

    public Task Shutdown(TimeSpan timeout)
    {
        if (_readFrom is { } readTo)
        {
            LogStopped(logger, _partition, readTo.TransactionId, readTo.Position);
        }

        return Task.CompletedTask;
    }

    private async Task<OutboxPosition> LoadCheckpointAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await log.LoadCheckpointAsync(_partition, cancellationToken).ConfigureAwait(false);
        (_readFrom, _released) = (checkpoint, checkpoint);
        LogStarted(logger, _partition, checkpoint.TransactionId, checkpoint.Position);
        return checkpoint;
    }

    /// <summary>Runs of consecutive events of one stream, in read order, one container each.</summary>
    private static List<IBatchContainer> Containers(IReadOnlyList<StreamEvent> events)
    {
        var containers = new List<IBatchContainer>();
        var start = 0;
        for (var i = 1; i <= events.Count; i++)
        {
            if (i == events.Count || !events[i].Stream.Equals(events[start].Stream))
            {
                containers.Add(new OutboxBatchContainer(events.Skip(start).Take(i - start).ToList()));
                start = i;
            }
        }

        return containers;
    }

    [LoggerMessage(1, LogLevel.Information, "Outbox partition {Partition} is not delivered by this silo (Payments:Streams:Deliver is off)")]
    private static partial void LogNotDelivering(ILogger logger, int partition);

    [LoggerMessage(2, LogLevel.Information, "Reading outbox partition {Partition} from transaction {TransactionId}, position {Position}")]
    private static partial void LogStarted(ILogger logger, int partition, ulong transactionId, long position);

    [LoggerMessage(3, LogLevel.Information, "Stopped reading outbox partition {Partition}; read up to transaction {TransactionId}, position {Position}")]
    private static partial void LogStopped(ILogger logger, int partition, ulong transactionId, long position);
}
