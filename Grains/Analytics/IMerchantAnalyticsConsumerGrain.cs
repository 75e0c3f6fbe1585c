using Orleans;

namespace Payments.Grains.Analytics;

/// <summary>
/// Keeps one merchant's analytics buckets (stream "merchant-payments", key = the merchant id). Only the stream's
/// pulling agent calls it.
/// </summary>
[Alias("merchant-analytics-consumer")]
public interface IMerchantAnalyticsConsumerGrain : IGrainWithStringKey;
