namespace Payments.Grains.Interfaces.Analytics;

/// <summary>
/// One interval of a merchant's payments in one currency. <c>Payments</c> are attempts made (created, authorized or
/// declined), <c>Succeeded</c> captures, <c>Declined</c> failures, <c>Refunds</c> refunds made; <c>Volume</c> is what
/// was captured and <c>RefundedAmount</c> what was refunded, in minor units. Rates are fractions (0.05 is 5%):
/// refunds per capture and declines per attempt; <c>AverageTicket</c> is volume per capture, rounded half up.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AnalyticsInterval(
    DateTimeOffset Start,
    string Currency,
    long Payments,
    long Succeeded,
    long Declined,
    long Refunds,
    long Volume,
    long RefundedAmount,
    double RefundRate,
    double DeclineRate,
    long AverageTicket);

/// <summary>A merchant's summary: the intervals that had payments, oldest first; <c>Start</c> is the interval's start in the asked time zone.</summary>
[GenerateSerializer, Immutable]
public sealed record AnalyticsSummary(DateTimeOffset From, DateTimeOffset To, string Interval, string Timezone, IReadOnlyList<AnalyticsInterval> Data);

/// <summary>Intervals of a summary.</summary>
public static class AnalyticsIntervals
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";

    public static readonly IReadOnlyList<string> All = [Day, Week, Month];

    /// <summary>The longest span one summary covers.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(400);
}
