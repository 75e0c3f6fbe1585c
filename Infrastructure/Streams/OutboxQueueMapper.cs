using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// One Orleans queue per outbox partition: queue i reads partition i, and a stream goes to the queue of its
/// <see cref="OutboxPartition"/>, the function the SQL read uses. Queues are spread evenly over the hash ring so
/// Orleans' default balancer (consistent ring) shares them among the silos.
/// </summary>
internal sealed class OutboxQueueMapper : IConsistentRingStreamQueueMapper
{
    private const long RingSize = 1L << 32;

    private readonly QueueId[] _queues;

    public OutboxQueueMapper(string providerName, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, OutboxPartition.MaxPartitions);
        var spacing = RingSize / partitions;
        _queues = Enumerable.Range(0, partitions)
            .Select(partition => QueueId.GetQueueId(providerName, (uint)partition, (uint)(partition * spacing)))
            .ToArray();
    }

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public QueueId GetQueueForStream(StreamId streamId) => _queues[OutboxPartition.Of(streamId, _queues.Length)];

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));

    /// <summary>The partition queue <paramref name="queue"/> reads.</summary>
    public static int PartitionOf(QueueId queue) => checked((int)queue.GetNumericId());
}
