using Orleans.Payments.Grains.Notifications;
using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.Feed;

/// <summary>
/// Fans one sender's completed transfers out to feeds (stream "transfers", key = the sender's user id). Only the
/// stream pump calls it.
/// </summary>
[GrainType("transfer-feed")]
[ImplicitStreamSubscription(TransferStream.Namespace)]
public interface ITransferFeedGrain : IStreamSubscriber;
