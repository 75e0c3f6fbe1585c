namespace Payments.Grains.Users;

/// <summary>Accounts and sessions (section <c>Payments:Users</c>).</summary>
public sealed class UserOptions
{
    public const string SectionName = "Payments:Users";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes. Default 600,000 (OWASP 2023, about 170 ms of CPU); tests lower it for speed.</summary>
    public int PasswordHashIterations { get; set; } = 600_000;

    /// <summary>
    /// How many password hashes this silo computes at once, each on a thread of its own (never the thread pool, never
    /// a grain turn). One more is refused at once with 503 and Retry-After; nothing queues. 0 (the default): the core count.
    /// </summary>
    public int MaxConcurrentPasswordHashes { get; set; }

    /// <summary>How long a session lasts unless revoked. Default 30 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Failed sign-ins per username: delays, then a lock.</summary>
    public LoginThrottleOptions LoginThrottle { get; set; } = new();

    public int EffectiveMaxConcurrentPasswordHashes => MaxConcurrentPasswordHashes > 0 ? MaxConcurrentPasswordHashes : Environment.ProcessorCount;
}

/// <summary>
/// Failed sign-ins per username (<c>Payments:Users:LoginThrottle</c>). The first <see cref="FreeFailures"/> cost
/// nothing; each further one makes the next attempt wait <see cref="FirstDelay"/>, doubling; from
/// <see cref="LockAfterFailures"/> on each failure locks the username for <see cref="LockDuration"/>. A right password
/// clears the count; failures are forgotten <see cref="ForgetAfter"/> after the last one.
/// </summary>
public sealed class LoginThrottleOptions
{
    public int FreeFailures { get; set; } = 4;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    public int LockAfterFailures { get; set; } = 10;

    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(24);
}
