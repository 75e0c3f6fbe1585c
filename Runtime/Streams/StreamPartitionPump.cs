using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Delivers one partition while this silo holds its lease: read a batch after the lowest checkpoint, deliver it to
/// every consumer, then move the checkpoints; repeat at once while batches are full, soon while committed events wait
/// behind an open transaction, else on the next notification or poll.
/// </summary>
internal sealed partial class StreamPartitionPump : IAsyncDisposable
{
    // How soon to look again while committed events wait behind an open transaction (its commit may not notify).
    private static readonly TimeSpan s_heldBackRecheck = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_errorBackoff = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly StreamLog _log;
    private readonly StreamDeliverer _deliverer;
    private readonly IReadOnlyList<StreamConsumer> _consumers;
    private readonly StreamOptions _options;
    private readonly ILogger _logger;
    private readonly Task _run;

    public StreamPartitionPump(int partition, StreamLog log, StreamDeliverer deliverer, IReadOnlyList<StreamConsumer> consumers, StreamOptions options, ILogger logger)
    {
        Partition = partition;
        _log = log;
        _deliverer = deliverer;
        _consumers = consumers;
        _options = options;
        _logger = logger;
        _run = Task.Run(RunAsync);
    }

    public int Partition { get; }

    /// <summary>New events may be there: read now rather than at the next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    private async Task RunAsync()
    {
        var cancellationToken = _stopping.Token;
        Dictionary<string, StreamSequenceToken>? checkpoints = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                checkpoints ??= await _log.LoadCheckpointsAsync(Partition, _consumers, cancellationToken).ConfigureAwait(false);
                var from = checkpoints.Values.Min();
                var batch = await _log.ReadAsync(Partition, _options.Partitions, from, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                if (batch.Events.Count > 0)
                {
                    await _deliverer.DeliverAsync(_consumers, checkpoints, batch.Events, cancellationToken).ConfigureAwait(false);
                    var last = batch.Events[^1].Event.Token;
                    var behind = checkpoints.Where(pair => pair.Value < last).Select(pair => pair.Key).ToList();
                    await _log.SaveCheckpointsAsync(Partition, behind, last, cancellationToken).ConfigureAwait(false);
                    behind.ForEach(consumer => checkpoints[consumer] = last);
                }

                if (batch.Events.Count < _options.BatchSize)
                {
                    await WaitAsync(batch.HeldBack ? s_heldBackRecheck : _options.PollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The database failed mid-round: nothing was checkpointed past what was delivered, so read again.
                LogRoundFailed(_logger, error, Partition);
                checkpoints = null;
                await WaitAsync(s_errorBackoff, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: poll.
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends.
        }
    }

    /// <summary>Stops after the round in progress is abandoned; its events are redelivered by the next owner (at least once).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(10, LogLevel.Warning, "Delivering stream partition {Partition} failed; retrying from its checkpoints")]
    private static partial void LogRoundFailed(ILogger logger, Exception error, int partition);
}
