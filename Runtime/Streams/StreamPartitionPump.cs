using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Delivers one partition while this silo holds its lease. Reads run ahead of deliveries: a batch is handed to the
/// deliverer and the next read starts at once (up to <see cref="StreamOptions.MaxBatchesInFlight"/> batches), so a slow
/// subscriber delays only its own events; each (consumer, grain, stream) still gets its events in order. A checkpoint
/// moves once a batch and every batch before it are delivered. Reads repeat at once while batches are full, soon while
/// committed events wait behind an open transaction, else on the next notification or poll.
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
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PumpFromCheckpointsAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // The database failed mid-way: nothing was checkpointed past what was delivered, so read again from there.
                LogRoundFailed(_logger, error, Partition);
                await Task.Delay(s_errorBackoff, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Delivers from the saved checkpoints on until stopped or until a read, delivery or checkpoint fails.</summary>
    private async Task PumpFromCheckpointsAsync(CancellationToken stopping)
    {
        var checkpoints = await _log.LoadCheckpointsAsync(Partition, _consumers, stopping).ConfigureAwait(false);
        var readFrom = checkpoints.Values.Min();
        var chains = new StreamDeliveryChains();
        var inFlight = new Queue<(Task Delivered, StreamSequenceToken Last)>();
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        try
        {
            while (true)
            {
                await CheckpointDeliveredAsync(inFlight, checkpoints, stopping).ConfigureAwait(false);
                if (inFlight.Count >= _options.MaxBatchesInFlight)
                {
                    await inFlight.Peek().Delivered.WaitAsync(stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    stopping.ThrowIfCancellationRequested();
                    continue;
                }

                var batch = await _log.ReadAsync(Partition, _options.Partitions, readFrom, _options.BatchSize, stopping).ConfigureAwait(false);
                if (batch.Events.Count > 0)
                {
                    chains.Prune();
                    var last = batch.Events[^1].Event.Token;
                    inFlight.Enqueue((_deliverer.DeliverAsync(_consumers, checkpoints, batch.Events, chains, abandon.Token), last));
                    readFrom = last;
                }

                if (batch.Events.Count < _options.BatchSize)
                {
                    var oldest = inFlight.TryPeek(out var head) ? head.Delivered : null;
                    await WaitAsync(batch.HeldBack ? s_heldBackRecheck : _options.PollInterval, oldest, stopping).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Deliveries of this pass stop retrying; wait for the calls already made so a new pass never overlaps them.
            await abandon.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(inFlight.Select(batch => batch.Delivered)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Moves the checkpoints past the batches delivered in order from the oldest; rethrows a failed delivery.</summary>
    private async Task CheckpointDeliveredAsync(Queue<(Task Delivered, StreamSequenceToken Last)> inFlight, Dictionary<string, StreamSequenceToken> checkpoints, CancellationToken stopping)
    {
        StreamSequenceToken? delivered = null;
        while (inFlight.TryPeek(out var oldest) && oldest.Delivered.IsCompleted)
        {
            await oldest.Delivered.ConfigureAwait(false);
            inFlight.Dequeue();
            delivered = oldest.Last;
        }

        if (delivered is not { } last)
        {
            return;
        }

        var behind = checkpoints.Where(pair => pair.Value < last).Select(pair => pair.Key).ToList();
        await _log.SaveCheckpointsAsync(Partition, behind, last, stopping).ConfigureAwait(false);
        behind.ForEach(consumer => checkpoints[consumer] = last);
    }

    /// <summary>Waits for a wake-up, the oldest delivery in flight to finish (its checkpoint can move), or the timeout.</summary>
    private async Task WaitAsync(TimeSpan timeout, Task? oldestDelivery, CancellationToken stopping)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timer.CancelAfter(timeout);
        Task woken = _wake.Reader.WaitToReadAsync(timer.Token).AsTask();
        try
        {
            await (oldestDelivery is null ? woken : Task.WhenAny(woken, oldestDelivery)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Timed out (poll now) or stopping (checked below).
        }

        await timer.CancelAsync().ConfigureAwait(false);
        _wake.Reader.TryRead(out _);
        stopping.ThrowIfCancellationRequested();
    }

    /// <summary>Stops; deliveries not yet checkpointed are redelivered by the next owner (at least once).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(10, LogLevel.Warning, "Delivering stream partition {Partition} failed; retrying from its checkpoints")]
    private static partial void LogRoundFailed(ILogger logger, Exception error, int partition);
}
