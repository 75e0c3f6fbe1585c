using Payments.Grains.Interfaces.Errors;
using Orleans;

namespace Payments.Grains.Interfaces.Users;

/// <summary>Users: registration, login, lookup and search (key: "default"; reentrant, backed by the users table).</summary>
[Alias("user-directory")]
public interface IUserDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Creates the user and their wallet; USERNAME_TAKEN if the name exists.</summary>
    Task<Outcome<UserProfile>> Register(string username, string displayName, string password);

    /// <summary>Checks the password and opens a session; INVALID_CREDENTIALS on any mismatch.</summary>
    /// <summary>Signs in; with <paramref name="deviceId"/>, the session is bound to that device of the user (NOT_FOUND when it is not theirs or is lost).</summary>
    Task<Outcome<SessionGrant>> Login(string username, string password, string? deviceId = null);

    Task<UserProfile?> Find(string userId);

    Task<UserProfile?> FindByUsername(string username);

    /// <summary>Users whose username or display name starts with the query (case-insensitive).</summary>
    Task<IReadOnlyList<UserProfile>> Search(string query, int limit);
}
