using Payments.Grains.Interfaces.Notifications;
using Orleans;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.References;

namespace Payments.Grains.SocialNotifications;

/// <summary>
/// Hands each social event to the recipient's notification grain with an id derived from the event, so a redelivered
/// event is the same notification (the inbox ignores repeated ids).
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(SocialNotificationStream.Namespace)]
[GrainType("social-notifier")]
public sealed class SocialNotifierGrain : StreamConsumerGrain, ISocialNotifierGrain
{
    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var inbox = GrainFactory.Reference<INotificationGrain>(stream.GetKeyAsString()!);
        foreach (var item in events)
        {
            await inbox.Notify(new NotificationMessage(NotificationIds.For(item.EventId, item.Type), item.Type, item.Payload, item.CreatedAt));
        }
    }
}
