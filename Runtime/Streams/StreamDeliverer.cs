using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Diagnostics;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Delivers a batch read from one partition to every consumer: the events of each (grain, stream) pair go in one call,
/// oldest first, after that pair's delivery from an earlier batch; different pairs are called concurrently. A failing
/// call is retried with exponential backoff; after the last attempt a multi-event call is split so that only the
/// failing event is dead-lettered, and the stream goes on.
/// </summary>
internal sealed partial class StreamDeliverer(StreamLog log, IGrainCallRouter router, IOptions<StreamOptions> options, TimeProvider time, ILogger<StreamDeliverer> logger)
{
    private const int MaxErrorLength = 2_000;

    private static readonly GrainMethod s_receive = GrainInterfaceMetadata.For(typeof(IStreamSubscriber)).Methods.Values.Single();

    /// <summary>
    /// Delivers to each consumer the events after its checkpoint, each target's after its earlier deliveries in
    /// <paramref name="chains"/>; the task completes when every event is delivered or dead-lettered.
    /// </summary>
    public Task DeliverAsync(
        IReadOnlyList<StreamConsumer> consumers,
        IReadOnlyDictionary<string, StreamSequenceToken> checkpoints,
        IReadOnlyList<LoggedEvent> events,
        StreamDeliveryChains chains,
        CancellationToken cancellationToken)
    {
        var deliveries = new List<Task>();
        foreach (var consumer in consumers)
        {
            var checkpoint = checkpoints[consumer.Name];
            var groups = new Dictionary<(GrainId Grain, StreamId Stream), List<StreamEvent>>();
            foreach (var logged in events.Where(logged => logged.Event.Token > checkpoint))
            {
                foreach (var grain in Targets(consumer, logged))
                {
                    var key = (grain, logged.Event.Stream);
                    if (!groups.TryGetValue(key, out var list))
                    {
                        groups[key] = list = [];
                    }

                    list.Add(logged.Event);
                }
            }

            foreach (var ((grain, stream), grouped) in groups)
            {
                deliveries.Add(chains.Append(consumer.Name, grain, stream, () => DeliverWithRetriesAsync(consumer, grain, stream, grouped, cancellationToken)));
            }
        }

        return Task.WhenAll(deliveries);
    }

    private static IEnumerable<GrainId> Targets(StreamConsumer consumer, LoggedEvent logged) =>
        consumer.IsExplicit ? logged.Subscribers
        : logged.Event.Stream.Namespace == consumer.Namespace ? [new GrainId(consumer.GrainType!, logged.Event.Stream.Key)]
        : [];

    private async Task DeliverWithRetriesAsync(StreamConsumer consumer, GrainId grain, StreamId stream, IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var backoff = settings.RetryBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ((Task)s_receive.Call(router, grain, [stream, events])).ConfigureAwait(false);
                RecordDelivered(events);
                return;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                RuntimeMetrics.StreamDeliveryFailures.Add(1);
                if (IsTransient(error))
                {
                    // The cluster cannot reach the grain right now (a silo stopping, a grain moving, a full queue): not
                    // the event's fault, so it costs no attempt. The partition waits, in order, until the grain is back.
                    LogDeliveryFailed(logger, error, events.Count, stream.ToString(), grain.ToString(), attempt);
                    attempt--;
                    await Task.Delay(settings.MaxRetryBackoff, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (attempt < settings.MaxDeliveryAttempts)
                {
                    LogDeliveryFailed(logger, error, events.Count, stream.ToString(), grain.ToString(), attempt);
                    await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxRetryBackoff.Ticks));
                    continue;
                }

                if (events.Count > 1)
                {
                    // Which event fails is unknown: deliver them one by one, so the others get through.
                    foreach (var single in events)
                    {
                        await DeliverWithRetriesAsync(consumer, grain, stream, [single], cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }

                var message = $"{error.GetType().Name}: {error.Message}";
                await log.DeadLetterAsync(consumer.Name, grain, events[0], attempt, message[..Math.Min(message.Length, MaxErrorLength)], cancellationToken).ConfigureAwait(false);
                RuntimeMetrics.StreamDeadLetters.Add(1);
                LogDeadLettered(logger, error, events[0].EventId, stream.ToString(), grain.ToString(), attempt);
                return;
            }
        }
    }

    private static bool IsTransient(Exception error) => error is SiloUnavailableException or GrainOverloadedException or GrainCallOutcomeUnknownException;

    private void RecordDelivered(IReadOnlyList<StreamEvent> events)
    {
        RuntimeMetrics.StreamEventsDelivered.Add(events.Count);
        if (RuntimeMetrics.StreamDeliveryLag.Enabled)
        {
            var now = time.GetUtcNow();
            foreach (var item in events)
            {
                RuntimeMetrics.StreamDeliveryLag.Record((now - item.CreatedAt).TotalMilliseconds);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Delivering {Count} events of stream {Stream} to {Grain} failed (attempt {Attempt}); retrying")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception error, int count, string stream, string grain, int attempt);

    [LoggerMessage(2, LogLevel.Error, "Event {EventId} of stream {Stream} failed {Attempts} times at {Grain}; moved to the dead-letter table")]
    private static partial void LogDeadLettered(ILogger logger, Exception error, Guid eventId, string stream, string grain, int attempts);
}
