namespace Payments.ApiFrontend.Notifications;

/// <summary>Whose socket it is: the user it pushes for, and the session (key and expiry) it lives and dies with.</summary>
public sealed record SocketOwner(string UserId, string SessionKey, DateTimeOffset ExpiresAt);
