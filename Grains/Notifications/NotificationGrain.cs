using Orleans.Payments.Grains.Interfaces.Identity;
using Orleans.Payments.Grains.Interfaces.Notifications;
using Orleans.Payments.Runtime;

namespace Orleans.Payments.Grains.Notifications;

/// <summary>
/// A user's notifications. Stateless apart from the inbox rows: <see cref="Notify"/> goes through the silo's inbox
/// writer (one transaction for many notifications, the NOTIFY to the front ends in it), so it is reentrant.
/// </summary>
[Reentrant]
public sealed class NotificationGrain(NotificationInbox inbox) : Grain, INotificationGrain
{
    public Task Notify(NotificationMessage message) => inbox.AppendAsync([(UserKey(), message)]);

    public Task<IReadOnlyList<NotificationMessage>> After(string? afterId, int limit) => inbox.AfterAsync(UserKey(), afterId, limit);

    private string UserKey() =>
        UserId.TryParse(GetPrimaryKeyString(), out var user) ? user.Key : throw new ArgumentException("A notification grain's key is a user id.");
}
