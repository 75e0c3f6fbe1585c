using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Base of grains that consume outbox streams through Orleans implicit subscriptions
/// (<c>[ImplicitStreamSubscription(namespace)]</c> on the grain class): the pulling agent of the stream's partition
/// delivers consecutive events of one stream in one call, in order, at least once. A call that throws is retried by
/// the agent; once it gives up on a batch it retries the batch's events one at a time, and an event that still fails
/// goes to the dead-letter table while the stream goes on. So apply each event idempotently by its id.
/// </summary>
public abstract class StreamConsumerGrain : Grain, IStreamSubscriptionObserver, IAsyncBatchObserver<StreamEvent>
{
    // The subscription each stream arrives through: the dead letter of a failing event is found by it.
    private readonly Dictionary<StreamId, Guid> _subscriptions = [];

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        _subscriptions[handleFactory.StreamId] = handleFactory.SubscriptionId.Guid;
        return handleFactory.Create<StreamEvent>().ResumeAsync(this);
    }

    public async Task OnNextAsync(IList<SequentialItem<StreamEvent>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        var events = new StreamEvent[items.Count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = items[i].Item;
        }

        var stream = events[0].Stream;
        try
        {
            await ReceiveStreamEvents(stream, events);
        }
        catch (Exception error) when (events.Length == 1 && _subscriptions.TryGetValue(stream, out var subscription)
            && ServiceProvider.GetService<StreamDeliveryFailures>() is { } failures)
        {
            // Only this grain sees why the event fails; the agent's failure handler records the note with the event
            // when it gives up. A batch of several events is not noted: which one fails is known once they go one by one.
            await failures.NoteAsync(subscription, this.GetGrainId(), events[0].EventId, error);
            throw;
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    /// <summary>Consecutive events of <paramref name="stream"/>, oldest first.</summary>
    protected abstract Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events);
}
