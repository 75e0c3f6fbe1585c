using Payments.Infrastructure.Placement;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Notifications;
using Orleans;

namespace Payments.Grains.Notifications;

/// <summary>
/// A user's notifications. Stateless apart from the inbox rows: <see cref="Notify"/> goes through the silo's inbox
/// writer (one transaction for many notifications, the NOTIFY to the front ends in it), so it is reentrant.
/// </summary>
[Reentrant]
[UserAffinityPlacement]
[GrainType("notifications")]
public sealed class NotificationGrain(NotificationInbox inbox) : Grain, INotificationGrain
{
    public Task Notify(NotificationMessage message) => inbox.AppendAsync([(UserKey(), message)]);

    public Task<IReadOnlyList<NotificationMessage>?> After(string? afterId, int limit) => inbox.AfterAsync(UserKey(), afterId, limit);

    private string UserKey() =>
        UserId.TryParse(this.GetPrimaryKeyString(), out var user) ? user.Key : throw new ArgumentException("A notification grain's key is a user id.");
}
