using Orleans;

namespace Payments.Grains.Interfaces.Notifications;

/// <summary>
/// A user's notifications (key: user id, <see cref="Identity.UserId.Key"/>): a durable inbox, and a push to every
/// WebSocket the user has open on any front end. Producers call <see cref="Notify"/>, typically from a stream
/// subscriber, so it may be called again with the same message: a repeated id is ignored.
/// </summary>
[Alias("notifications")]
public interface INotificationGrain : IGrainWithStringKey
{
    /// <summary>Stores the message in the inbox (once per id) and pushes it to the user's open sockets after the commit.</summary>
    Task Notify(NotificationMessage message);

    /// <summary>
    /// The messages after <paramref name="afterId"/> (from the start when null), oldest first, at most
    /// <paramref name="limit"/> (1..100); null when <paramref name="afterId"/> names no notification in the inbox
    /// (never one, or deleted past the retention).
    /// </summary>
    Task<IReadOnlyList<NotificationMessage>?> After(string? afterId, int limit);
}
