using Payments.Grains.Batching;
using Xunit;

namespace Payments.Tests;

/// <summary>The batched reads behind fraud scoring.</summary>
public sealed class BatchedReaderTests
{
    [Fact]
    public async Task Concurrent_requests_share_bounded_reads_and_each_gets_its_own_answer()
    {
        const int maxBatchSize = 8;
        var sizes = new List<int>();
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reader = new BatchedReader<int, string>(maxBatchSize, capacity: 1_000, readers: 1, async requests =>
        {
            lock (sizes)
            {
                sizes.Add(requests.Count);
            }

            firstRead.TrySetResult();
            // The first read is held until every request has queued behind it, so the others must share reads.
            await release.Task;
            return [.. requests.Select(request => $"answer {request}")];
        });

        var first = reader.ReadAsync(-1);
        await firstRead.Task;
        var others = Enumerable.Range(0, 100).Select(reader.ReadAsync).ToArray();
        release.SetResult();

        Assert.Equal("answer -1", await first);
        Assert.Equal(Enumerable.Range(0, 100).Select(request => $"answer {request}"), await Task.WhenAll(others));
        Assert.Equal(101, sizes.Sum());
        Assert.All(sizes, size => Assert.InRange(size, 1, maxBatchSize));
        Assert.Equal(1 + (100 + maxBatchSize - 1) / maxBatchSize, sizes.Count);
    }

    [Fact]
    public async Task A_failed_or_short_read_faults_its_callers_and_the_reader_goes_on()
    {
        await using var reader = new BatchedReader<int, int>(maxBatchSize: 8, capacity: 8, readers: 1, requests =>
            requests.Contains(-1) ? throw new InvalidOperationException("poison")
            : requests.Contains(-2) ? Task.FromResult<IReadOnlyList<int>>([])
            : Task.FromResult<IReadOnlyList<int>>([.. requests.Select(request => request * 2)]));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(-1));
        var shortRead = await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(-2));

        Assert.Equal("poison", failed.Message);
        Assert.Contains("answered 0 of 1", shortRead.Message, StringComparison.Ordinal);
        Assert.Equal(42, await reader.ReadAsync(21));
    }
}
