using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.Notifications;

/// <summary>
/// Turns a sender's TransferCompleted events (stream "transfers", key = sender's user id) into notifications:
/// payment_received for the receiver, balance_updated for both parties. Only the stream pump calls it.
/// </summary>
[GrainType("transfer-notifier")]
[ImplicitStreamSubscription(TransferStream.Namespace)]
public interface ITransferNotifierGrain : IStreamSubscriber;
