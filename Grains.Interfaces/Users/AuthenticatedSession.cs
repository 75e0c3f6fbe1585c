namespace Payments.Grains.Interfaces.Users;

/// <summary>A live session: its user and when it expires (sockets opened with it close then).</summary>
[GenerateSerializer, Immutable]
public sealed record AuthenticatedSession(string UserId, DateTimeOffset ExpiresAt);
