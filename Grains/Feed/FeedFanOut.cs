using Microsoft.Extensions.Hosting;
using Orleans.Payments.Grains.Batching;
using Orleans.Payments.Grains.Interfaces.Transfers;

namespace Orleans.Payments.Grains.Feed;

/// <summary>
/// The silo's fan-out writer. Stream delivery calls one <see cref="TransferFeedGrain"/> per sender, so a burst from
/// thousands of senders would otherwise be thousands of small transactions at once; here they queue and are written
/// <see cref="FeedStore.MaxTransfersPerStatement"/> transfers per statement by two writers.
/// </summary>
public sealed class FeedFanOut : IHostedService
{
    private const int Writers = 2;
    private const int QueueCapacity = 16_384;

    private readonly GroupCommitQueue<TransferView> _queue;

    public FeedFanOut(FeedStore store) =>
        _queue = new GroupCommitQueue<TransferView>(FeedStore.MaxTransfersPerStatement, QueueCapacity, Writers, store.FanOutAsync);

    /// <summary>Completes when the transfers' posts and feed items are written.</summary>
    public Task FanOutAsync(IReadOnlyList<TransferView> transfers) => _queue.WriteAsync(transfers);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes what was queued before the stop; delivery (stopped first) sends nothing more.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _queue.CompleteAsync();
}
