using Orleans;

namespace Payments.Grains.Interfaces.Analytics;

/// <summary>Reads a merchant's analytics (key: the merchant id) from the hourly buckets the stream consumer keeps.</summary>
[Alias("merchant-analytics")]
public interface IMerchantAnalyticsGrain : IGrainWithStringKey
{
    /// <summary>Intervals from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), grouped in <paramref name="timezone"/> (IANA); the caller validated them.</summary>
    Task<AnalyticsSummary> Summary(DateTimeOffset from, DateTimeOffset to, string interval, string timezone);
}
