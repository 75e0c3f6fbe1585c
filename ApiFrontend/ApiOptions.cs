namespace Payments.ApiFrontend;

/// <summary>
/// Settings of the REST API: section <c>Payments:Api</c> (env <c>Payments__Api__…</c>); the operator token is
/// <c>Payments:AdminToken</c> (env <c>Payments__AdminToken</c>).
/// </summary>
public sealed class ApiOptions
{
    public const string SectionName = "Payments:Api";

    public const string AdminTokenKey = "Payments:AdminToken";

    /// <summary>The shortest operator token accepted, so a trivial one cannot be configured by mistake.</summary>
    public const int MinAdminTokenLength = 16;

    /// <summary>Whether the host serves the API at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Bearer token of the operator endpoints (from <see cref="AdminTokenKey"/>). Unset: operator endpoints refuse everyone.</summary>
    public string? AdminToken { get; set; }

    public ApiRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Never prints the token.</summary>
    public override string ToString() =>
        $"ApiOptions {{ Enabled = {Enabled}, AdminToken = {(string.IsNullOrEmpty(AdminToken) ? "unset" : "set")}, PermitsPerSecond = {RateLimit.PermitsPerSecond}, Burst = {RateLimit.Burst} }}";
}

/// <summary>Per-caller token bucket (<c>Payments:Api:RateLimit</c>): refilled at <see cref="PermitsPerSecond"/>, holding at most <see cref="Burst"/>.</summary>
public sealed class ApiRateLimitOptions
{
    public int PermitsPerSecond { get; set; } = 1000;

    public int Burst { get; set; } = 2000;
}
