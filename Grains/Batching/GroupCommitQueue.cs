using System.Threading.Channels;

namespace Payments.Grains.Batching;

/// <summary>
/// Group commit for writes that many grains make at once: callers queue items and wait; writer loops take whatever
/// has queued and write it in statements of at most the batch size, so N concurrent callers cost one round trip and
/// one commit instead of N. A caller's task completes when its items are written and faults if a write failed.
/// </summary>
/// <remarks>
/// One call is one unit in the queue: a single writer takes all of its items and writes them in the order given,
/// even when they span several statements. Were a call's items spread over writers, a later batch could commit
/// before an earlier one and a reader would see them out of order. A failed batch may be partly written and its
/// callers retry, so <c>write</c> must be idempotent.
/// </remarks>
public sealed class GroupCommitQueue<TItem>
{
    private readonly Channel<(IReadOnlyList<TItem> Items, TaskCompletionSource Written)> _queue;
    private readonly Func<IReadOnlyList<TItem>, Task> _write;
    private readonly int _maxBatchSize;
    private readonly Task[] _writers;

    /// <param name="maxBatchSize">Most items one call of <paramref name="write"/> is given.</param>
    /// <param name="capacity">Calls waiting for a writer; further callers wait until there is room.</param>
    /// <param name="writers">Writer loops, each with at most one batch in flight.</param>
    /// <param name="write">Writes one statement's items; an exception fails every caller of that batch.</param>
    public GroupCommitQueue(int maxBatchSize, int capacity, int writers, Func<IReadOnlyList<TItem>, Task> write)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _maxBatchSize = maxBatchSize;
        _write = write;
        _queue = Channel.CreateBounded<(IReadOnlyList<TItem>, TaskCompletionSource)>(new BoundedChannelOptions(capacity)
        {
            SingleReader = writers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)).ToArray();
    }

    /// <summary>Queues the items (waiting while the queue is full) and completes when all of them are written, in order.</summary>
    public async Task WriteAsync(IReadOnlyList<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync((items, written));
        await written.Task;
    }

    /// <summary>Stops taking calls; completes when what was queued is written.</summary>
    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var calls = new List<(IReadOnlyList<TItem> Items, TaskCompletionSource Written)>();
        var items = new List<TItem>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (items.Count < _maxBatchSize && _queue.Reader.TryRead(out var call))
            {
                calls.Add(call);
                items.AddRange(call.Items);
            }

            try
            {
                foreach (var statement in items.Chunk(_maxBatchSize))
                {
                    await _write(statement).ConfigureAwait(false);
                }

                calls.ForEach(call => call.Written.TrySetResult());
            }
            catch (Exception error)
            {
                calls.ForEach(call => call.Written.TrySetException(error));
            }

            calls.Clear();
            items.Clear();
        }
    }
}
