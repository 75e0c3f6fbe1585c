namespace Payments.Grains.Webhooks;

/// <summary>Webhook delivery settings (<c>Payments:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Payments:Webhooks";

    /// <summary>
    /// Lets endpoints point at loopback, private, link-local and metadata addresses. Off: a merchant's URL must not
    /// reach into the platform's own network. On for development and tests only.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Lets endpoints use plain <c>http</c>. Off: https only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// The key signing secrets are encrypted with at rest: the base64 of 32 random bytes, the same on every silo. When
    /// unset, the silo keeps one in a file under its data directory (<c>webhook-secret.key</c>), which suits one silo
    /// or silos sharing that folder; a cluster across machines sets it (from a secret store).
    /// </summary>
    public string? SecretEncryptionKey { get; set; }

    /// <summary>Set by the silo (not by configuration) when <see cref="SecretEncryptionKey"/> came from its key file: that file's path.</summary>
    public string? SecretKeyFile { get; set; }

    /// <summary>The key's 32 bytes, or null if <paramref name="base64"/> is not the base64 of exactly 32 bytes.</summary>
    public static byte[]? DecodeKey(string? base64)
    {
        var buffer = new byte[48];
        return base64 is not null && Convert.TryFromBase64String(base64, buffer, out var length) && length == 32 ? buffer[..32] : null;
    }

    /// <summary>The default <see cref="RetrySchedule"/>: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.</summary>
    public static readonly TimeSpan[] DefaultRetrySchedule =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>
    /// Delay before each attempt, the first counted from the event; null for <see cref="DefaultRetrySchedule"/>. (A
    /// default in the property itself would be appended to, not replaced, by a schedule in configuration.)
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule ?? DefaultRetrySchedule;

    /// <summary>Each retry delay varies by up to this share either way, so endpoints that failed together do not all come back at once.</summary>
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in flight at once to one endpoint: a slow endpoint holds only its own slots.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>An endpoint whose every attempt has failed for this long is disabled.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long a rolled secret goes on signing beside the new one.</summary>
    public TimeSpan RolledSecretOverlap { get; set; } = TimeSpan.FromHours(24);

    public int MaxEndpointsPerMerchant { get; set; } = 16;

    public string? Problem() =>
        Schedule is not { Count: >= 1 and <= 20 } || Schedule.Any(delay => delay < TimeSpan.Zero || delay > TimeSpan.FromDays(3)) ? "RetrySchedule has 1 to 20 delays of 0 to 3 days"
        : RetryJitter is < 0 or > 0.5 ? "RetryJitter is between 0 and 0.5"
        : Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(1) ? "Timeout is between 0 and 1 minute"
        : MaxConcurrentDeliveries is < 1 or > 256 ? "MaxConcurrentDeliveries is between 1 and 256"
        : DisableAfterFailingFor <= TimeSpan.Zero ? "DisableAfterFailingFor is positive"
        : RolledSecretOverlap < TimeSpan.Zero || RolledSecretOverlap > TimeSpan.FromDays(7) ? "RolledSecretOverlap is between 0 and 7 days"
        : MaxEndpointsPerMerchant is < 1 or > 100 ? "MaxEndpointsPerMerchant is between 1 and 100"
        : DecodeKey(SecretEncryptionKey) is null ? "SecretEncryptionKey is the base64 of 32 bytes"
        : null;
}
