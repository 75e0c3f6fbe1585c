using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.Payouts;

/// <summary>
/// A user's payouts (key = user id): records each PayoutRequested event of the stream "payouts" and pays it out at
/// the bank, retrying on a reminder until the bank confirms. Only the stream pump and the reminder service call it.
/// </summary>
[GrainType("payout")]
[ImplicitStreamSubscription(PayoutStream.Namespace)]
public interface IPayoutGrain : IStreamSubscriber, IRemindable;
