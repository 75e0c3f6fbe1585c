namespace Payments.Grains.Interfaces.Users;

/// <summary>
/// How front ends learn that a session ended: a PostgreSQL NOTIFY on <see cref="Channel"/> whose payload is the
/// session's key (the token's SHA-256, hex; the session grain's key), sent in the transaction that revokes it. Every
/// front end LISTENs on it and closes the WebSockets opened with that session. Whatever revokes a session (logout
/// today; a lost device or a password change later) goes through <see cref="ISessionGrain.Revoke"/>, which sends it.
/// </summary>
public static class SessionRevocations
{
    public const string Channel = "session_revoked";
}
