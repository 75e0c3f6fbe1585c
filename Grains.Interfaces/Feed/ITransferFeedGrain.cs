using Orleans.Payments.Runtime;
using Orleans.Payments.Runtime.Streams;

namespace Orleans.Payments.Grains.Interfaces.Feed;

/// <summary>
/// Fans one sender's completed transfers out to feeds (key: the sender's user id, the key of their stream in
/// namespace <see cref="TransferStreams.Namespace"/>).
/// </summary>
[GrainType("transfer-feed")]
[ImplicitStreamSubscription(TransferStreams.Namespace)]
public interface ITransferFeedGrain : IStreamSubscriber;

/// <summary>The stream the ledger writes completed transfers to, through the outbox.</summary>
public static class TransferStreams
{
    public const string Namespace = "transfers";

    /// <summary>The event type of a committed transfer; its payload is the transfer as its parties see it.</summary>
    public const string TransferCompleted = "TransferCompleted";
}
