using Payments.Grains.Interfaces.Notifications;

namespace Payments.ApiFrontend.Apis;

/// <summary>Notifications oldest first.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationMessage> Data);
