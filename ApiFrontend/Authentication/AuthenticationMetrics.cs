using System.Diagnostics.Metrics;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Refused bearer tokens, counted on the meter <see cref="MeterName"/> (exported at /metrics) instead of one log line
/// each: a flood of made-up tokens shows as a rate here, not as megabytes of log.
/// </summary>
public static class AuthenticationMetrics
{
    public const string MeterName = "Payments.Api";

    private static readonly Meter s_meter = new(MeterName);

    private static readonly Counter<long> s_refusals =
        s_meter.CreateCounter<long>("api.authentication.refusals", description: "Bearer tokens refused, by reason (malformed, unknown, cached, rate_limited).");

    public static void Refused(string reason) => s_refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
