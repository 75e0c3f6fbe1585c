using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Grains.Interfaces.Wallets;
using Orleans.Payments.Runtime;

namespace Orleans.Payments.Grains.Ledger;

/// <summary>
/// The silo's group commit: wallet grains submit admitted entries; committers drain whatever has queued (up to the
/// batch size) and commit it in one database transaction. Under load batches grow by themselves, so N concurrent
/// payments to one wallet cost one row update per batch instead of N serialized lock waits.
/// After a commit, each wallet touched is told its new committed balance once per batch.
/// </summary>
public sealed partial class LedgerWriter : IHostedService
{
    private readonly Channel<LedgerEntry> _queue;
    private readonly LedgerBatchCommitter _committer;
    private readonly IGrainFactory _grains;
    private readonly LedgerWriterOptions _options;
    private readonly ILogger<LedgerWriter> _logger;
    private Task[] _loops = [];

    public LedgerWriter(LedgerBatchCommitter committer, IGrainFactory grains, IOptions<LedgerWriterOptions> options, ILogger<LedgerWriter> logger)
    {
        _committer = committer;
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<LedgerEntry>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleWriter = false,
            SingleReader = _options.Committers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues an entry and completes when it is committed, rejected or found to be a duplicate.</summary>
    public async Task<LedgerResult> SubmitAsync(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
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

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loops = Enumerable.Range(0, _options.Committers).Select(_ => Task.Run(CommitLoopAsync, CancellationToken.None)).ToArray();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking entries and commits what is queued, so acknowledged work is never dropped on shutdown.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

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

            var started = Stopwatch.GetTimestamp();
            try
            {
                var touched = await _committer.CommitAsync(batch).ConfigureAwait(false);
                LedgerMetrics.BatchSize.Record(batch.Count);
                LedgerMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                NotifyWallets(touched);
            }
            catch (Exception error)
            {
                // CommitAsync answers every entry itself; this is a bug guard so one bad batch cannot stop the loop.
                LogBatchFailed(_logger, error, batch.Count);
                foreach (var entry in batch)
                {
                    entry.Completion.TrySetException(error);
                }
            }

            batch.Clear();
        }
    }

    private void NotifyWallets(IReadOnlyList<TouchedWallet> touched)
    {
        foreach (var wallet in touched)
        {
            // A cache hint: a lost one only means the wallet reads its row when it next needs more funds.
            _ = _grains.GetGrain<IWalletGrain>(wallet.UserId).ObserveCommittedBalance(wallet.Balance, wallet.Version)
                .ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    [LoggerMessage(1, LogLevel.Error, "A ledger batch of {Count} entries failed unexpectedly")]
    private static partial void LogBatchFailed(ILogger logger, Exception error, int count);
}

/// <summary>A wallet whose balance a batch changed, with its balance and version after the batch.</summary>
public sealed record TouchedWallet(string UserId, long Balance, long Version);
