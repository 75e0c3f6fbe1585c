using System.Text.Json;
using Orleans.Payments.Grains.Interfaces;
using Orleans.Payments.Grains.Interfaces.Notifications;
using Orleans.Payments.Grains.Interfaces.Transfers;
using Orleans.Payments.Grains.Interfaces.Wallets;
using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.Notifications;

/// <summary>
/// A sender's transfer notifications. Each delivered batch becomes one inbox append: payment_received (the transfer)
/// for each receiver and balance_updated (the wallet as it is now, with the transfer that changed it) for both
/// parties. Ids derive from the event, so a redelivered batch adds nothing.
/// </summary>
public sealed class TransferNotifierGrain(NotificationInbox inbox) : Grain, ITransferNotifierGrain
{
    private readonly RecentEventIds _recent = new();

    public async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        var fresh = _recent.Unseen(events);
        var transfers = fresh
            .Where(item => item.Type == TransferStream.TransferCompleted)
            .Select(item => (item.EventId, Transfer: item.Payload.Deserialize<TransferView>(PaymentsJson.Options)!))
            .ToList();
        if (transfers.Count > 0)
        {
            var parties = transfers.SelectMany(item => new[] { item.Transfer.From, item.Transfer.To }).Distinct().ToList();
            var wallets = await Task.WhenAll(parties.Select(party => GrainFactory.GetGrain<IWalletGrain>(party).Get()));
            var balances = parties.Zip(wallets).ToDictionary(pair => pair.First, pair => pair.Second.Value);

            var notifications = new List<(string, NotificationMessage)>();
            foreach (var (eventId, transfer) in transfers)
            {
                notifications.Add((transfer.To, Message(eventId, NotificationTypes.PaymentReceived, transfer, transfer.CreatedAt)));
                foreach (var party in new[] { transfer.From, transfer.To })
                {
                    if (balances[party] is { } wallet)
                    {
                        var update = new BalanceUpdate(wallet.Balance, wallet.Available, wallet.Currency, transfer.Id);
                        notifications.Add((party, Message(eventId, NotificationTypes.BalanceUpdated, update, transfer.CreatedAt)));
                    }
                }
            }

            await inbox.AppendAsync(notifications);
        }

        _recent.MarkApplied(fresh);
    }

    private static NotificationMessage Message<T>(Guid eventId, string type, T data, DateTimeOffset createdAt) =>
        new(NotificationIds.For(eventId, type), type, JsonSerializer.SerializeToElement(data, PaymentsJson.Options), createdAt);
}
