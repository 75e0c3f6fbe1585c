namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// A grain that receives stream events, through an implicit subscription (<see cref="ImplicitStreamSubscriptionAttribute"/>)
/// or an explicit one (<c>Grain.SubscribeAsync</c>). The grain interface extends this one so the stream pump calls it
/// like any other caller: routed to the grain's owning silo, activating it if needed.
/// </summary>
public interface IStreamSubscriber : IGrainWithStringKey
{
    /// <summary>
    /// Consecutive events of one stream, oldest first. Delivery is at least once: a call that throws is retried
    /// (with backoff, a bounded number of times, then the event is dead-lettered), and an event can arrive again after
    /// a silo failure, so apply each event idempotently by its id.
    /// </summary>
    Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events);
}
