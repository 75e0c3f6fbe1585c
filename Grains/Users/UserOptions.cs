namespace Payments.Grains.Users;

/// <summary>Accounts and sessions (section <c>Payments:Users</c>).</summary>
public sealed class UserOptions
{
    public const string SectionName = "Payments:Users";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes. Default 600,000 (OWASP 2023); tests lower it for speed.</summary>
    public int PasswordHashIterations { get; set; } = 600_000;

    /// <summary>How long a session lasts unless revoked. Default 30 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);
}
