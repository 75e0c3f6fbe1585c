using Payments.Grains.Batching;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Records delivery attempts of every endpoint of the silo in group commits: thousands of deliveries a second cost a
/// few transactions, not one each.
/// </summary>
public sealed class WebhookAttemptLog(WebhookStore store)
{
    private readonly GroupCommitQueue<DeliveryAttempt> _queue = new(maxBatchSize: 500, capacity: 10_000, writers: 2, store.RecordAttemptsAsync);

    public Task RecordAsync(DeliveryAttempt attempt) => _queue.WriteAsync([attempt]);
}
