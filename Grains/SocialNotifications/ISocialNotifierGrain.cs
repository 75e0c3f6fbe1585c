using Orleans;

namespace Payments.Grains.SocialNotifications;

/// <summary>
/// Relays the social events addressed to one user (key: that user's id) to their notification inbox. The events are
/// appended to the outbox in the same transaction as the change they report (a request created, paid or declined, a
/// friend request, a like or comment), so a notification exists if and only if its change committed. Only the stream's
/// pulling agent calls it.
/// </summary>
[Alias("social-notifier")]
public interface ISocialNotifierGrain : IGrainWithStringKey;
