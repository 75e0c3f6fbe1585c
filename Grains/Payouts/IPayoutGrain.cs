using Orleans;

namespace Payments.Grains.Payouts;

/// <summary>
/// A user's payouts (key = user id): records each PayoutRequested event of the stream "payouts" and pays it out at
/// the bank, retrying on a reminder until the bank confirms. Only the stream pump and the reminder service call it.
/// </summary>
[Alias("payout")]
public interface IPayoutGrain : IGrainWithStringKey;
