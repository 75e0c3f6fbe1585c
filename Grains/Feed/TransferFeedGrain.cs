using System.Text.Json;
using Microsoft.Extensions.Logging;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Notifications;
using Orleans;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Feed;

/// <summary>
/// Writes each completed transfer of one sender into the feeds that should show it, through the silo's
/// <see cref="FeedFanOut"/> group commit. Delivery is at least once; the feed's keys make a redelivered transfer
/// change nothing, so no in-memory deduplication is needed (and none would survive the silo kill that causes most
/// redeliveries). Placed on the silo whose pulling agent first delivers to it, so delivery and the fan-out write stay
/// in that process.
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(TransferStream.Namespace)]
[GrainType("transfer-feed")]
public sealed partial class TransferFeedGrain(FeedFanOut fanOut, ILogger<TransferFeedGrain> logger) : StreamConsumerGrain, ITransferFeedGrain
{
    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var transfers = events
            .Where(item => item.Type == TransferStream.TransferCompleted)
            .Select(item => item.Payload.Deserialize<TransferView>(PaymentsJson.Options)!)
            .ToList();
        await fanOut.FanOutAsync(transfers);
        LogFannedOut(logger, transfers.Count, stream.GetKeyAsString()!);
    }

    [LoggerMessage(1, LogLevel.Debug, "Fanned out {Transfers} transfers of {Sender}")]
    private static partial void LogFannedOut(ILogger logger, int transfers, string sender);
}
