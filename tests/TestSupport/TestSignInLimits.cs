namespace Payments.TestSupport;

/// <summary>
/// Sign-in limits lifted for test silos, which sign up and log in many users at once from 127.0.0.1: the per-address
/// and per-username buckets, and the bounds on password hashes and strength checks (their defaults, the core count,
/// answer 503 to a burst). Tests of those limits set their own values, which win over these.
/// </summary>
public static class TestSignInLimits
{
    /// <summary>Configuration keys (colon form).</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Payments:Users:MaxConcurrentPasswordHashes"] = "64",
        ["Payments:Api:SignIn:LoginsPerAddressPerMinute"] = "100000",
        ["Payments:Api:SignIn:LoginsPerUsernamePerMinute"] = "100000",
        ["Payments:Api:SignIn:SignupsPerAddressPerHour"] = "100000",
        ["Payments:Api:SignIn:SignupsPerUsernamePerMinute"] = "100000",
        ["Payments:Api:SignIn:MaxConcurrentPasswordChecks"] = "16",
    };

    /// <summary>The same as environment variables (<c>Payments__Users__…</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Environment =>
        Settings.Select(setting => new KeyValuePair<string, string?>(setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value));
}
