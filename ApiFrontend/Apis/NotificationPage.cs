using Orleans.Payments.Grains.Interfaces.Notifications;

namespace Orleans.Payments.ApiFrontend.Apis;

/// <summary>Notifications oldest first.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationMessage> Data);
