using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Payments.Grains.Interfaces;
using Orleans.Payments.Grains.Interfaces.Transfers;
using Orleans.Payments.Grains.Notifications;
using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.Feed;

/// <summary>
/// Writes each completed transfer of one sender into the feeds that should show it, through the silo's
/// <see cref="FeedFanOut"/> group commit. Delivery is at least once; the feed's keys make a redelivered transfer
/// change nothing, so no in-memory deduplication is needed (and none would survive the silo kill that causes most
/// redeliveries). A stateless worker: it runs on the silo whose stream pump delivers the transfers and writes through
/// that silo's fan-out, so delivery makes no remote call.
/// </summary>
[StatelessWorker]
public sealed partial class TransferFeedGrain(FeedFanOut fanOut, ILogger<TransferFeedGrain> logger) : Grain, ITransferFeedGrain
{
    public async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var transfers = events
            .Where(item => item.Type == TransferStream.TransferCompleted)
            .Select(item => item.Payload.Deserialize<TransferView>(PaymentsJson.Options)!)
            .ToList();
        await fanOut.FanOutAsync(transfers);
        LogFannedOut(logger, transfers.Count, stream.Key);
    }

    [LoggerMessage(1, LogLevel.Debug, "Fanned out {Transfers} transfers of {Sender}")]
    private static partial void LogFannedOut(ILogger logger, int transfers, string sender);
}
