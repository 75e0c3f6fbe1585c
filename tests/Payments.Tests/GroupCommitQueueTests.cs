using Payments.Grains.Batching;
using Xunit;

namespace Payments.Tests;

/// <summary>The group commit behind the notification inbox and the feed fan-out.</summary>
public sealed class GroupCommitQueueTests
{
    [Fact]
    public async Task A_call_larger_than_a_batch_is_written_in_order_while_another_writer_is_idle()
    {
        // Statements are recorded when they finish, as a reader sees commits.
        var statements = new List<int[]>();
        var anotherStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new GroupCommitQueue<int>(maxBatchSize: 2, capacity: 16, writers: 2, async items =>
        {
            if (items.Contains(1))
            {
                // Holds the first statement back: a writer that took the call's later items would finish them first.
                await Task.WhenAny(anotherStarted.Task, Task.Delay(TimeSpan.FromMilliseconds(500)));
            }
            else
            {
                anotherStarted.TrySetResult();
            }

            lock (statements)
            {
                statements.Add([.. items]);
            }
        });

        await queue.WriteAsync([1, 2, 3, 4, 5]);
        await queue.CompleteAsync();

        Assert.Equal([[1, 2], [3, 4], [5]], statements);
    }

    [Fact]
    public async Task Concurrent_calls_are_each_written_once_in_their_own_order_in_bounded_statements()
    {
        const int maxBatchSize = 4;
        var written = new List<int>();
        var oversized = 0;
        var queue = new GroupCommitQueue<int>(maxBatchSize, capacity: 8, writers: 3, async items =>
        {
            if (items.Count > maxBatchSize)
            {
                Interlocked.Increment(ref oversized);
            }

            await Task.Delay(Random.Shared.Next(0, 3));
            lock (written)
            {
                written.AddRange(items);
            }
        });
        var calls = Enumerable.Range(0, 200)
            .Select(call => Enumerable.Range(call * 10, 1 + (call % 7)).ToArray())
            .ToArray();

        await Task.WhenAll(calls.Select(items => Task.Run(() => queue.WriteAsync(items))));
        await queue.CompleteAsync();

        Assert.Equal(0, oversized);
        Assert.Equal(calls.SelectMany(items => items).Order(), written.Order());
        var position = written.Select((item, index) => (item, index)).ToDictionary(pair => pair.item, pair => pair.index);
        Assert.All(calls, items => Assert.Equal(items, items.OrderBy(item => position[item])));
    }

    [Fact]
    public async Task A_failed_write_faults_its_callers_and_the_queue_goes_on()
    {
        var written = new List<int>();
        var queue = new GroupCommitQueue<int>(maxBatchSize: 8, capacity: 8, writers: 1, items =>
        {
            if (items.Contains(-1))
            {
                throw new InvalidOperationException("poison");
            }

            lock (written)
            {
                written.AddRange(items);
            }

            return Task.CompletedTask;
        });

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.WriteAsync([7, -1]));
        await queue.WriteAsync([8, 9]);
        await queue.CompleteAsync();

        Assert.Equal("poison", failed.Message);
        Assert.Equal([8, 9], written);
    }
}
