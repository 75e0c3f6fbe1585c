namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// What a refused bearer token may cost (section <c>Payments:Api:Authentication</c>): a token bucket of failed
/// authentications per client network, and how long refused and live session keys are remembered.
/// </summary>
public sealed class SessionAuthenticationOptions
{
    public const string SectionName = "Payments:Api:Authentication";

    /// <summary>Failed authentications a client network may make per second once its burst is spent. Default 5.</summary>
    public int FailuresPerSecond { get; set; } = 5;

    /// <summary>Failed authentications a client network may make in a burst before it gets 429. Default 50.</summary>
    public int FailureBurst { get; set; } = 50;

    /// <summary>How long a front end remembers a session key that was refused (unknown, expired, revoked). Default 1 minute.</summary>
    public TimeSpan RefusedSessionCacheTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most refused session keys remembered at once. Default 100,000 (a few MB).</summary>
    public int RefusedSessionCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How long a front end remembers a live session, so that requests with its token skip the session grain. Only while
    /// the front end hears revocations (<see cref="AcceptedSessionCache"/>); zero asks the grain on every request.
    /// Default 30 seconds.
    /// </summary>
    public TimeSpan AcceptedSessionCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most live sessions remembered at once. Default 100,000 (a few MB).</summary>
    public int AcceptedSessionCacheSize { get; set; } = 100_000;
}
