using Orleans;

namespace Payments.Grains.Interfaces.Users;

/// <summary>One login session (key: SHA-256 of the bearer token, hex). Revocation takes effect at once.</summary>
[Alias("session")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>The session's user id, or null when the session does not exist, expired or was revoked.</summary>
    Task<string?> Authenticate();

    Task Revoke();
}
