using System.Threading.Channels;

namespace Payments.Grains.Batching;

/// <summary>
/// Batched reads for queries that many grains make at once: callers queue a request and wait for its answer; reader
/// loops take whatever has queued (at most the batch size) and answer all of it with one query, so N concurrent callers
/// cost one round trip and one statement instead of N. The batches grow with the load: a request waits at most for
/// the query in flight.
/// </summary>
public sealed class BatchedReader<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<(TRequest Request, TaskCompletionSource<TResult> Answer)> _queue;
    private readonly Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> _read;
    private readonly int _maxBatchSize;
    private readonly Task[] _readers;

    /// <param name="maxBatchSize">Most requests one call of <paramref name="read"/> is given.</param>
    /// <param name="capacity">Requests waiting for a reader; further callers wait until there is room.</param>
    /// <param name="readers">Reader loops, each with at most one query in flight.</param>
    /// <param name="read">Answers the requests in their order; an exception fails every caller of that batch.</param>
    public BatchedReader(int maxBatchSize, int capacity, int readers, Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> read)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(readers, 1);
        _maxBatchSize = maxBatchSize;
        _read = read;
        _queue = Channel.CreateBounded<(TRequest, TaskCompletionSource<TResult>)>(new BoundedChannelOptions(capacity)
        {
            SingleReader = readers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _readers = Enumerable.Range(0, readers).Select(_ => Task.Run(ReadLoopAsync, CancellationToken.None)).ToArray();
    }

    /// <summary>Queues the request (waiting while the queue is full) and completes with its answer.</summary>
    public async Task<TResult> ReadAsync(TRequest request)
    {
        var answer = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync((request, answer)).ConfigureAwait(false);
        return await answer.Task.ConfigureAwait(false);
    }

    /// <summary>Stops taking requests; completes when what was queued is answered.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_readers).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        var calls = new List<(TRequest Request, TaskCompletionSource<TResult> Answer)>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (calls.Count < _maxBatchSize && _queue.Reader.TryRead(out var call))
            {
                calls.Add(call);
            }

            try
            {
                var results = await _read([.. calls.Select(call => call.Request)]).ConfigureAwait(false);
                if (results.Count != calls.Count)
                {
                    throw new InvalidOperationException($"A batched read answered {results.Count} of {calls.Count} requests.");
                }

                for (var i = 0; i < calls.Count; i++)
                {
                    calls[i].Answer.TrySetResult(results[i]);
                }
            }
            catch (Exception error)
            {
                calls.ForEach(call => call.Answer.TrySetException(error));
            }

            calls.Clear();
        }
    }
}
