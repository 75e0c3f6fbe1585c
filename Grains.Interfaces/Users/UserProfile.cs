namespace Payments.Grains.Interfaces.Users;

/// <summary>What anyone may see of a user.</summary>
[GenerateSerializer, Immutable]
public sealed record UserProfile(string Id, string Username, string DisplayName);

/// <summary>A new session: the bearer token (shown once, stored only as a hash) and its user.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionGrant(string Token, string UserId);

public static class UserLimits
{
    public const int MaxDisplayNameLength = 64;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;
    public const int MaxSearchResults = 20;
    public const int MaxSearchQueryLength = 64;
}
