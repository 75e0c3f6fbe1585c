namespace Payments.ApiFrontend.Notifications;

/// <summary>Limits of notification WebSockets (section <c>Payments:Api:Notifications</c>).</summary>
public sealed class NotificationSocketOptions
{
    public const string SectionName = "Payments:Api:Notifications";

    /// <summary>Messages queued for one socket; a socket that falls further behind is closed (the client catches up from the inbox). Default 256.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>Open sockets per user on one front end; the oldest is closed when another opens. Default 16.</summary>
    public int MaxSocketsPerUser { get; set; } = 16;
}
