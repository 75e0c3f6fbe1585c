using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Analytics;

namespace Payments.Grains.Analytics;

/// <summary>A merchant's analytics summaries, read from the hourly buckets: a query, so any silo may answer it.</summary>
[StatelessWorker]
[GrainType("merchant-analytics")]
public sealed class MerchantAnalyticsGrain(MerchantAnalyticsStore store) : Grain, IMerchantAnalyticsGrain
{
    public async Task<AnalyticsSummary> Summary(DateTimeOffset from, DateTimeOffset to, string interval, string timezone) =>
        new(from, to, interval, timezone, await store.SummaryAsync(this.GetPrimaryKeyString(), from, to, interval, timezone));
}
