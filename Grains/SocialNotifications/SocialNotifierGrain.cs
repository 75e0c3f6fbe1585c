using Orleans.Payments.Grains.Interfaces.Notifications;
using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.SocialNotifications;

/// <summary>
/// Hands each social event to the recipient's notification grain with an id derived from the event, so a redelivered
/// event is the same notification (the inbox ignores repeated ids).
/// </summary>
public sealed class SocialNotifierGrain : Grain, ISocialNotifierGrain
{
    public async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var inbox = GrainFactory.GetGrain<INotificationGrain>(stream.Key);
        foreach (var item in events)
        {
            await inbox.Notify(new NotificationMessage(NotificationIds.For(item.EventId, item.Type), item.Type, item.Payload, item.CreatedAt));
        }
    }
}
