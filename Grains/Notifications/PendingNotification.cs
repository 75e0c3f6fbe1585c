using Orleans.Payments.Grains.Interfaces.Notifications;

namespace Orleans.Payments.Grains.Notifications;

/// <summary>A notification for a user, waiting for the inbox writer's next transaction; completes when that commits.</summary>
internal sealed class PendingNotification(string userId, NotificationMessage message, TaskCompletionSource completion)
{
    public string UserId { get; } = userId;

    public NotificationMessage Message { get; } = message;

    public TaskCompletionSource Completion { get; } = completion;
}
