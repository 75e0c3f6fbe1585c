using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Transfers;
using Orleans;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Notifications;

/// <summary>
/// A sender's transfer notifications. Each delivered batch becomes one inbox append: payment_received (the transfer)
/// for each receiver, and balance_updated (the signed change and the transfer that made it) for both parties. Ids
/// derive from the event, so a redelivered batch adds nothing. Placed on the silo whose pulling agent first delivers
/// to it, so delivery and the inbox write stay in that process (its duplicate filter is per activation, a shortcut;
/// the ids are what make a redelivery harmless).
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(TransferStream.Namespace)]
[GrainType("transfer-notifier")]
public sealed class TransferNotifierGrain(NotificationInbox inbox) : StreamConsumerGrain, ITransferNotifierGrain
{
    private readonly RecentEventIds _recent = new();

    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        var fresh = _recent.Unseen(events);
        var notifications = new List<(string, NotificationMessage)>();
        foreach (var item in fresh.Where(item => item.Type == TransferStream.TransferCompleted))
        {
            var transfer = item.Payload.Deserialize<TransferView>(PaymentsJson.Options)!;
            notifications.Add((transfer.To, Message(item.EventId, NotificationTypes.PaymentReceived, transfer, transfer.CreatedAt)));
            notifications.Add((transfer.From, Message(item.EventId, NotificationTypes.BalanceUpdated, new BalanceUpdate(transfer.Id, -transfer.Amount, transfer.Currency), transfer.CreatedAt)));
            notifications.Add((transfer.To, Message(item.EventId, NotificationTypes.BalanceUpdated, new BalanceUpdate(transfer.Id, transfer.Amount, transfer.Currency), transfer.CreatedAt)));
        }

        if (notifications.Count > 0)
        {
            await inbox.AppendAsync(notifications);
        }

        _recent.MarkApplied(fresh);
    }

    private static NotificationMessage Message<T>(Guid eventId, string type, T data, DateTimeOffset createdAt) =>
        new(NotificationIds.For(eventId, type), type, JsonSerializer.SerializeToElement(data, PaymentsJson.Options), createdAt);
}
