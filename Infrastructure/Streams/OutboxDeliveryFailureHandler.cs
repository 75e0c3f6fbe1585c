using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// What happens when a pulling agent gives up delivering a container (after <c>MaxEventDeliveryTime</c> of retries):
/// a container being retried event by event is not a dead letter yet (see <see cref="SplitBatches"/>); a single event is
/// recorded in <c>stream_dead_letters</c>, found by its token, and the agent goes on with the stream's next events.
/// The agent awaits this before it moves on, so the dead letter is written before the cache can release the event and
/// the checkpoint pass it.
/// </summary>
internal sealed partial class OutboxDeliveryFailureHandler(
    StreamDeliveryFailures failures,
    SplitBatches splits,
    StreamOptions options,
    ILogger<OutboxDeliveryFailureHandler> logger) : IStreamFailureHandler
{
    /// <summary>Tries to write a dead letter before giving up (the database may be briefly unreachable).</summary>
    public const int DeadLetterAttempts = 5;

    /// <summary>Implicit subscriptions cannot be faulted, and the stream must go on anyway.</summary>
    public bool ShouldFaultSubsriptionOnError => false;

    public async Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        if (splits.TryTake(sequenceToken))
        {
            LogRetryingOneByOne(logger, streamIdentity.ToString(), $"{sequenceToken}");
            return;
        }

        if (sequenceToken is not OutboxSequenceToken token)
        {
            LogNoToken(logger, streamIdentity.ToString(), subscriptionId.Guid);
            return;
        }

        var unnoted = $"Not delivered within {options.MaxDeliveryTime}; the consumer never reported an error (unreachable, or failing to activate): see the silo log.";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var recorded = await failures.DeadLetterAsync(subscriptionId.Guid, token.Position, unnoted, CancellationToken.None).ConfigureAwait(false);
                LogDeadLettered(logger, streamIdentity.ToString(), token.ToString(), subscriptionId.Guid, recorded);
                return;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                if (attempt == DeadLetterAttempts)
                {
                    LogDeadLetterLost(logger, error, streamIdentity.ToString(), token.ToString(), subscriptionId.Guid);
                    return;
                }

                await Task.Delay(options.MaxRetryBackoff).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Setting up a consumer failed; the agent still delivers to it from the stream's first cached event.</summary>
    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        LogSubscriptionFailed(logger, streamIdentity.ToString(), subscriptionId.Guid);
        return Task.CompletedTask;
    }

    [LoggerMessage(1, LogLevel.Warning, "Delivering the events of stream {Stream} from {Token} failed as a batch; retrying them one by one")]
    private static partial void LogRetryingOneByOne(ILogger logger, string stream, string token);

    [LoggerMessage(2, LogLevel.Error, "Event {Token} of stream {Stream} could not be delivered to subscription {Subscription}; dead-lettered (new record: {Recorded}), the stream goes on")]
    private static partial void LogDeadLettered(ILogger logger, string stream, string token, Guid subscription, bool recorded);

    [LoggerMessage(3, LogLevel.Critical, "Event {Token} of stream {Stream} could not be delivered to subscription {Subscription}, and its dead letter could not be written")]
    private static partial void LogDeadLetterLost(ILogger logger, Exception error, string stream, string token, Guid subscription);

    [LoggerMessage(4, LogLevel.Error, "A delivery to subscription {Subscription} of stream {Stream} failed without an outbox token; nothing to dead-letter")]
    private static partial void LogNoToken(ILogger logger, string stream, Guid subscription);

    [LoggerMessage(5, LogLevel.Warning, "Setting up subscription {Subscription} of stream {Stream} failed; delivering to it anyway")]
    private static partial void LogSubscriptionFailed(ILogger logger, string stream, Guid subscription);
}
