using Orleans;

namespace Payments.Grains.Interfaces.Users;

/// <summary>
/// One login session (key: SHA-256 of the bearer token, hex: the session's id). Revocation takes effect at once, and
/// every front end closes the session's WebSockets (<see cref="SessionRevocations"/>).
/// </summary>
[Alias("session")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// The session's user and expiry, or null when the session does not exist, expired or was revoked (the activation
    /// is then collected at once, so a made-up token leaves nothing behind).
    /// </summary>
    Task<AuthenticatedSession?> Authenticate();

    /// <summary>
    /// Revokes the session: the row and a NOTIFY to the front ends commit together. Idempotent. The one path for
    /// every reason a session ends early (logout; later a lost device or a password change).
    /// </summary>
    Task Revoke();
}
