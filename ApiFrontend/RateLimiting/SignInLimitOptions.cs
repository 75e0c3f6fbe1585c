namespace Payments.ApiFrontend.RateLimiting;

/// <summary>
/// Limits of the two anonymous endpoints that spend CPU on a password, POST /v1/sessions and POST /v1/users
/// (section <c>Payments:Api:SignIn</c>, env <c>Payments__Api__SignIn__…</c>). Each is a token bucket per front end that
/// holds the given number and refills evenly over the period: 30 per minute is a burst of 30, then one every 2 s.
/// </summary>
public sealed class SignInLimitOptions
{
    public const string SectionName = "Payments:Api:SignIn";

    /// <summary>Sign-in attempts per client address (IPv6: per /64) per minute.</summary>
    public int LoginsPerAddressPerMinute { get; set; } = 30;

    /// <summary>Sign-in attempts per username per minute, whatever the address (the silo also counts failures per username).</summary>
    public int LoginsPerUsernamePerMinute { get; set; } = 10;

    /// <summary>Registrations per client address (IPv6: per /64) per hour.</summary>
    public int SignupsPerAddressPerHour { get; set; } = 20;

    /// <summary>Registration attempts per username per minute.</summary>
    public int SignupsPerUsernamePerMinute { get; set; } = 5;

    /// <summary>zxcvbn password checks run at once on this front end; 0 (the default): the core count.</summary>
    public int MaxConcurrentPasswordChecks { get; set; }

    public int EffectiveMaxConcurrentPasswordChecks => MaxConcurrentPasswordChecks > 0 ? MaxConcurrentPasswordChecks : Environment.ProcessorCount;
}
