using Orleans.Streams;
using Orleans.Streams.Core;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Base of grains that consume outbox streams through Orleans implicit subscriptions
/// (<c>[ImplicitStreamSubscription(namespace)]</c> on the grain class): the pulling agent of the stream's queue
/// delivers consecutive events of one stream in one call, in order, at least once. A call that throws is retried by
/// the agent and, once it gives up, the event goes to the dead-letter table; so apply each event idempotently by its id.
/// </summary>
public abstract class StreamConsumerGrain : Grain, IStreamSubscriptionObserver, IAsyncBatchObserver<StreamEvent>
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        return handleFactory.Create<StreamEvent>().ResumeAsync(this);
    }

    public Task OnNextAsync(IList<SequentialItem<StreamEvent>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return Task.CompletedTask;
        }

        var events = new StreamEvent[items.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = items[i].Item;
        }

        return ReceiveStreamEvents(events[0].Stream, events);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    /// <summary>Consecutive events of <paramref name="stream"/>, oldest first.</summary>
    protected abstract Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events);
}
