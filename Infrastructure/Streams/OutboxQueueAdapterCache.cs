using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>Gives each pulling agent an <see cref="OutboxQueueCache"/> of <paramref name="capacity"/> events.</summary>
internal sealed class OutboxQueueAdapterCache(int capacity, SplitBatches splits) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new OutboxQueueCache(capacity, splits);
}
