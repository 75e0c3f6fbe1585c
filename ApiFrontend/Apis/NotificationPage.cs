using Payments.Grains.Interfaces.Notifications;

namespace Payments.ApiFrontend.Apis;

/// <summary>Notifications oldest first; <see cref="HasMore"/> when more were stored after the last one.</summary>
public sealed record NotificationPage(IReadOnlyList<NotificationMessage> Data, bool HasMore);
