using Orleans;

namespace Payments.Grains.Notifications;

/// <summary>
/// Turns a sender's TransferCompleted events (stream "transfers", key = sender's user id) into notifications:
/// payment_received for the receiver, balance_updated for both parties. Only the stream pump calls it.
/// </summary>
[Alias("transfer-notifier")]
public interface ITransferNotifierGrain : IGrainWithStringKey;
