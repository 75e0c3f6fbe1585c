using System.Threading.Channels;

namespace Orleans.Payments.Grains.Batching;

/// <summary>
/// Group commit for writes that many grains make at once: callers queue items and wait; writer loops take whatever
/// has queued (up to the batch size) and write it in one statement, so N concurrent callers cost one round trip and
/// one commit instead of N. A caller's task completes when its batch is written and faults if the write failed.
/// </summary>
public sealed class GroupCommitQueue<TItem>
{
    private readonly Channel<(TItem Item, TaskCompletionSource Written)> _queue;
    private readonly Func<IReadOnlyList<TItem>, Task> _write;
    private readonly int _maxBatchSize;
    private readonly Task[] _writers;

    /// <param name="write">Writes one batch; an exception fails every caller of that batch.</param>
    public GroupCommitQueue(int maxBatchSize, int capacity, int writers, Func<IReadOnlyList<TItem>, Task> write)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, maxBatchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _maxBatchSize = maxBatchSize;
        _write = write;
        _queue = Channel.CreateBounded<(TItem, TaskCompletionSource)>(new BoundedChannelOptions(capacity)
        {
            SingleReader = writers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)).ToArray();
    }

    /// <summary>Queues the items (waiting while the queue is full) and completes when all of them are written.</summary>
    public async Task WriteAsync(IEnumerable<TItem> items)
    {
        var written = new List<Task>();
        foreach (var item in items)
        {
            var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await _queue.Writer.WriteAsync((item, completion));
            written.Add(completion.Task);
        }

        await Task.WhenAll(written);
    }

    /// <summary>Stops taking items; completes when what was queued is written.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource Written)>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var queued))
            {
                batch.Add(queued);
            }

            try
            {
                await _write(batch.ConvertAll(queued => queued.Item)).ConfigureAwait(false);
                batch.ForEach(queued => queued.Written.TrySetResult());
            }
            catch (Exception error)
            {
                batch.ForEach(queued => queued.Written.TrySetException(error));
            }

            batch.Clear();
        }
    }
}
