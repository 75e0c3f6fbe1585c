using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Payments.Infrastructure.Postgres;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.References;

namespace Payments.Grains.Ledger;

/// <summary>
/// The silo's group commit: wallet grains submit admitted entries; one committer drains whatever has queued (up to
/// the batch size) and commits it in one database transaction. Under load batches grow by themselves, so N concurrent
/// payments to one wallet cost one row update per batch instead of N serialized lock waits.
/// One committer, not several: concurrent batches almost always share an account (a hot wallet, or any two of a few
/// hundred random ones) and wait for each other's locks; kept apart, their batches shrink and cost more each (both
/// measured, see the README); and a transaction's id is taken at its first lock, so concurrent batches could commit
/// in an order other than their ids', which the streams read as commit order.
/// A batch's answers wait for <see cref="WalFlushBarrier"/> while the committer goes on with the next batch, so the
/// disk's flush latency overlaps with work instead of holding row locks. After the flush, each wallet touched is
/// told its new committed balance once per batch.
/// </summary>
public sealed partial class LedgerWriter : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly Channel<LedgerEntry> _queue;
    private readonly LedgerBatchCommitter _committer;
    private readonly WalFlushBarrier _flushBarrier;
    private readonly SemaphoreSlim _batchesAwaitingFlush;
    private readonly IGrainFactory _grains;
    private readonly LedgerWriterOptions _options;
    private readonly ILogger<LedgerWriter> _logger;
    private Task _loop = Task.CompletedTask;
    private volatile bool _fenced;

    public LedgerWriter(LedgerBatchCommitter committer, WalFlushBarrier flushBarrier, IGrainFactory grains, IOptions<LedgerWriterOptions> options, ILogger<LedgerWriter> logger)
    {
        _committer = committer;
        _flushBarrier = flushBarrier;
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        _batchesAwaitingFlush = new SemaphoreSlim(_options.MaxBatchesAwaitingFlush, _options.MaxBatchesAwaitingFlush);
        _queue = Channel.CreateBounded<LedgerEntry>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleWriter = false,
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Set when the silo learns the cluster declared it dead: from then on nothing more commits from here (queued and
    /// new entries answer 503 retryable; their clients retry on a live silo with the same idempotency key).
    /// </summary>
    public bool IsFenced => _fenced;

    /// <summary>Stops committing for good (see <see cref="IsFenced"/>); called by the fatal error handler before the process exits.</summary>
    public void Fence() => _fenced = true;

    /// <summary>Queues an entry and completes when it is committed, rejected or found to be a duplicate.</summary>
    public async Task<LedgerResult> SubmitAsync(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_fenced)
        {
            throw Fenced();
        }

        try
        {
            await _queue.Writer.WriteAsync(entry);
        }
        catch (ChannelClosedException closed)
        {
            throw new LedgerUnavailableException("The ledger writer has stopped (the silo is shutting down).", closed);
        }

        return await entry.Completion.Task;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LedgerWriter), WriterLifecycleStage.Value, StartAsync, StopAsync);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(CommitLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking entries, commits what is queued and answers it, so no submitter is left waiting on shutdown.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        for (var i = 0; i < _options.MaxBatchesAwaitingFlush; i++)
        {
            await _batchesAwaitingFlush.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => _batchesAwaitingFlush.Dispose();

    private async Task CommitLoopAsync()
    {
        var batch = new List<LedgerEntry>(_options.MaxBatchSize);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            await _batchesAwaitingFlush.WaitAsync().ConfigureAwait(false);
            if (_fenced)
            {
                var fenced = Fenced();
                batch.ForEach(entry => entry.Completion.TrySetException(fenced));
                batch.Clear();
                _batchesAwaitingFlush.Release();
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                var outcome = await _committer.CommitAsync(batch).ConfigureAwait(false);
                LedgerMetrics.BatchSize.Record(batch.Count);
                LedgerMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                LedgerMetrics.CountEntries(LedgerMetrics.Failed, batch.Count - outcome.Answers.Count);
                _ = AnswerOnceDurableAsync(outcome);
            }
            catch (Exception error)
            {
                // CommitAsync answers every entry itself; this is a bug guard so one bad batch cannot stop the loop.
                LogBatchFailed(_logger, error, batch.Count);
                foreach (var entry in batch)
                {
                    entry.Completion.TrySetException(error);
                }

                _batchesAwaitingFlush.Release();
            }

            batch.Clear();
        }
    }

    private async Task AnswerOnceDurableAsync(LedgerBatchOutcome outcome)
    {
        try
        {
            await _flushBarrier.WaitForFlushAsync().ConfigureAwait(false);
            foreach (var (entry, result) in outcome.Answers)
            {
                entry.Completion.TrySetResult(result);
            }

            LedgerMetrics.CountAnswers(outcome.Answers);
        }
        catch (Exception error)
        {
            // Committed in the buffer but not known to be on disk: the client retries with its idempotency key and
            // finds either the record or nothing.
            var unknown = new LedgerUnavailableException("The ledger database failed while flushing a commit; the outcome is unknown until it is read back.", error);
            foreach (var (entry, _) in outcome.Answers)
            {
                entry.Completion.TrySetException(unknown);
            }

            LedgerMetrics.CountEntries(LedgerMetrics.Failed, outcome.Answers.Count);
            return;
        }
        finally
        {
            _batchesAwaitingFlush.Release();
        }

        NotifyWallets(outcome.Touched);
    }

    private void NotifyWallets(IReadOnlyList<TouchedWallet> touched)
    {
        foreach (var wallet in touched)
        {
            // A one-way cache hint: nothing to wait for.
            _ = _grains.Reference<IWalletGrain>(wallet.UserId).ObserveCommittedRow(wallet.Balance, wallet.Held, wallet.Version);
        }
    }

    private static LedgerUnavailableException Fenced() =>
        new("This silo was declared dead by the cluster and commits nothing more; retry with the same Idempotency-Key.");

    [LoggerMessage(1, LogLevel.Error, "A ledger batch of {Count} entries failed unexpectedly")]
    private static partial void LogBatchFailed(ILogger logger, Exception error, int count);
}
