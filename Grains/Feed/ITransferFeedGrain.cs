using Payments.Grains.Notifications;
using Orleans;

namespace Payments.Grains.Feed;

/// <summary>
/// Fans one sender's completed transfers out to feeds (stream "transfers", key = the sender's user id). Only the
/// stream's pulling agent calls it.
/// </summary>
[Alias("transfer-feed")]
public interface ITransferFeedGrain : IGrainWithStringKey;
