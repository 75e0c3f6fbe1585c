using Npgsql;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.Tests.Grains;
using Payments.Infrastructure.Tests.Infrastructure;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// Durable streams over the outbox, against a real PostgreSQL: order per stream, no loss and no double application
/// across restarts and lost leases, events committed behind open transactions, dead letters, explicit subscriptions.
/// </summary>
public sealed class StreamTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_of_each_stream_are_applied_once_and_in_commit_order()
    {
        var database = await CreateDatabaseAsync("streams-order");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database);

        // 20 streams, each written by its own producer, 30 transactions of 1–3 events each: the streams interleave in the log.
        var expected = await Task.WhenAll(Enumerable.Range(0, 20).Select(stream => ProduceAsync(dataSource, $"order-{stream}", transactions: 30)));

        await WaitUntilAppliedAsync(dataSource, expected.Sum());
        await AssertAppliedInOrderOnceAsync(dataSource, Enumerable.Range(0, 20).ToDictionary(stream => $"order-{stream}", stream => expected[stream]));
    }

    [Fact]
    public async Task The_backlog_counts_committed_events_until_they_are_delivered()
    {
        var database = await CreateDatabaseAsync("streams-backlog");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var backlog = new StreamBacklog(dataSource, partitions: 4);

        // Appended while no silo delivers: every partition lacks a checkpoint, so all of them wait.
        await using (await TestSilo.StartAsync(database, streams: options => options.Deliver = false))
        {
            await AppendAsync(dataSource, StreamRecorderGrain.Event("backlog-a", 1), StreamRecorderGrain.Event("backlog-a", 2));
            await AppendAsync(dataSource, StreamRecorderGrain.Event("backlog-b", 1));
            Assert.Equal(3, await backlog.CountPendingAsync());
        }

        await using (await TestSilo.StartAsync(database, streams: options => options.Partitions = 4))
        {
            await WaitUntilAppliedAsync(dataSource, 3);
            await Eventually.TrueAsync(async () => await backlog.CountPendingAsync() == 0, s_within, "the checkpoints pass the delivered events");
        }

        // Past the checkpoints only what came after counts.
        await AppendAsync(dataSource, StreamRecorderGrain.Event("backlog-c", 1));
        Assert.Equal(1, await backlog.CountPendingAsync());
    }

    [Fact]
    public async Task An_event_committed_after_a_later_position_is_not_skipped()
    {
        var database = await CreateDatabaseAsync("streams-out-of-order");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, streams: options => options.Partitions = 1);

        // The slow transaction takes the earlier position and stays open while a later position commits and is delivered.
        await using var slow = await dataSource.OpenConnectionAsync();
        await using var slowTransaction = await slow.BeginTransactionAsync();
        await StreamOutbox.AppendAsync(slow, slowTransaction, [StreamRecorderGrain.Event("slow", 1)]);
        await AppendAsync(dataSource, StreamRecorderGrain.Event("fast", 1));

        // The fast event waits behind the open transaction rather than moving the checkpoint past the slow one.
        await Task.Delay(500);
        Assert.Equal(0, await CountAppliedAsync(dataSource));

        await slowTransaction.CommitAsync();
        await WaitUntilAppliedAsync(dataSource, 2);
        await AssertAppliedInOrderOnceAsync(dataSource, new Dictionary<string, int> { ["slow"] = 1, ["fast"] = 1 });
    }

    [Fact]
    public async Task An_event_with_an_older_transaction_but_a_later_position_does_not_hide_one_committed_before_it()
    {
        // The trap of ordering by position alone: transaction A started first but inserts last; B inserts earlier and
        // commits; C (older than B) is still open. A reader that took A and checkpointed its position would skip B.
        var database = await CreateDatabaseAsync("streams-xid-order");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, streams: options => options.Partitions = 1);

        await using var a = await BeginWithTransactionIdAsync(dataSource);
        await using var c = await BeginWithTransactionIdAsync(dataSource);
        await AppendAsync(dataSource, StreamRecorderGrain.Event("b", 1));
        await StreamOutbox.AppendAsync(a.Connection!, a, [StreamRecorderGrain.Event("a", 1)]);
        await a.CommitAsync();

        await WaitUntilAppliedAsync(dataSource, 1); // A is older than every open transaction: delivered.
        await c.CommitAsync();
        await WaitUntilAppliedAsync(dataSource, 2);
        await AssertAppliedInOrderOnceAsync(dataSource, new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 });
    }

    [Fact]
    public async Task Delivery_resumes_on_another_silo_after_a_restart_without_loss_or_double_application()
    {
        var database = await CreateDatabaseAsync("streams-restart");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var first = await TestSilo.StartAsync(database);
        var producing = Task.WhenAll(Enumerable.Range(0, 10).Select(stream => ProduceAsync(dataSource, $"restart-{stream}", transactions: 60, pause: TimeSpan.FromMilliseconds(5))));

        await Eventually.TrueAsync(async () => await CountAppliedAsync(dataSource) > 50, s_within, "the first silo delivers");
        await first.DisposeAsync();
        await using var second = await TestSilo.StartAsync(database);
        var expected = await producing;

        await WaitUntilAppliedAsync(dataSource, expected.Sum());
        await AssertAppliedInOrderOnceAsync(dataSource, Enumerable.Range(0, 10).ToDictionary(stream => $"restart-{stream}", stream => expected[stream]));
    }

    [Fact]
    public async Task When_a_silo_loses_its_lease_connection_another_takes_over_from_the_checkpoint()
    {
        var database = await CreateDatabaseAsync("streams-takeover");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var first = await TestSilo.StartAsync(database);
        await Eventually.TrueAsync(async () => await LeaseHoldersAsync(dataSource) is [_], s_within, "the first silo holds the partitions");
        await using var second = await TestSilo.StartAsync(database);
        var producing = Task.WhenAll(Enumerable.Range(0, 10).Select(stream => ProduceAsync(dataSource, $"takeover-{stream}", transactions: 60, pause: TimeSpan.FromMilliseconds(5))));

        // Cut the first silo off the way a crash does (its connection drops, PostgreSQL releases its locks), mid-burst.
        await Eventually.TrueAsync(async () => await CountAppliedAsync(dataSource) > 50, s_within, "the first silo delivers");
        // The two silos share the partitions (each counts both lease connections); cut one of them.
        var holder = (await LeaseHoldersAsync(dataSource))[0];
        await using (var kill = dataSource.CreateCommand("SELECT pg_terminate_backend($1)"))
        {
            kill.Parameters.Add(new NpgsqlParameter<int> { TypedValue = holder });
            await kill.ExecuteNonQueryAsync();
        }

        var expected = await producing;
        await WaitUntilAppliedAsync(dataSource, expected.Sum());
        await AssertAppliedInOrderOnceAsync(dataSource, Enumerable.Range(0, 10).ToDictionary(stream => $"takeover-{stream}", stream => expected[stream]));
        // The cut silo reconnects after a second and may take back a partition the other has not yet taken.
        var holders = await LeaseHoldersAsync(dataSource);
        Assert.NotEmpty(holders);
        Assert.DoesNotContain(holder, holders);
    }

    [Fact]
    public async Task A_silo_that_does_not_deliver_leaves_every_partition_to_the_silos_that_do()
    {
        var database = await CreateDatabaseAsync("streams-share");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var delivering = await TestSilo.StartAsync(database, cluster: TestSilo.Cluster("streams-share", LoopbackPort.Free()));
        await using var silent = await TestSilo.StartAsync(database, cluster: TestSilo.Cluster("streams-share", LoopbackPort.Free()), streams: options => options.Deliver = false);
        await Eventually.TrueAsync(() => Task.FromResult(delivering.Membership.View.Placement.Silos.Count == 2), s_within, "both silos are members");

        // Counted by membership, the share would be half the partitions and the other half would wait forever.
        var partitions = new StreamOptions().Partitions;
        await Eventually.TrueAsync(async () => await LeasedPartitionsAsync(dataSource) == partitions, s_within, "every partition is leased");
        var expected = await ProduceAsync(dataSource, "share-0", transactions: 20, pause: TimeSpan.Zero);
        await WaitUntilAppliedAsync(dataSource, expected);
    }

    [Fact]
    public async Task A_failed_delivery_is_not_overtaken_by_the_targets_later_events()
    {
        var chains = new StreamDeliveryChains();
        var target = (Consumer: "c", Grain: new GrainId("g", "1"), Stream: new StreamId("s", "1"));
        var failed = chains.Append(target.Consumer, target.Grain, target.Stream, () => Task.FromException(new InvalidOperationException("first")));
        chains.Prune();
        var ran = false;
        var later = chains.Append(target.Consumer, target.Grain, target.Stream, () => { ran = true; return Task.CompletedTask; });

        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        await Assert.ThrowsAsync<InvalidOperationException>(() => later);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_poison_event_goes_to_the_dead_letter_table_after_bounded_retries_and_the_stream_goes_on()
    {
        var database = await CreateDatabaseAsync("streams-dead-letter");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, streams: options => options.MaxDeliveryAttempts = 3);

        var poison = StreamRecorderGrain.Event("poisoned", 2, poison: true);
        await AppendAsync(dataSource, StreamRecorderGrain.Event("poisoned", 1), poison, StreamRecorderGrain.Event("poisoned", 3));
        await AppendAsync(dataSource, StreamRecorderGrain.Event("poisoned", 4));

        await WaitUntilAppliedAsync(dataSource, 3);
        var (letters, hasMore) = await new StreamDeadLetterTable(dataSource).ListAsync(0, 10);
        var letter = Assert.Single(letters);
        Assert.False(hasMore);
        Assert.Equal(poison.EventId, letter.EventId);
        Assert.Equal(3, letter.Attempts);
        Assert.Contains("cannot be applied", letter.Error);
        Assert.Equal($"{typeof(IStreamRecorderGrain).FullName}/poisoned", letter.Grain);
        Assert.Equal($"implicit:{typeof(IStreamRecorderGrain).FullName}:{StreamRecorderGrain.Namespace}", letter.Consumer);
        var applied = await AppliedSequenceAsync(dataSource, "poisoned");
        Assert.Equal([1, 3, 4], applied);
    }

    [Fact]
    public async Task An_explicit_subscription_delivers_until_unsubscribed()
    {
        var database = await CreateDatabaseAsync("streams-explicit");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, streams: options => options.Partitions = 1);
        var watcher = silo.GrainFactory.GetGrain<IStreamWatcherGrain>("explicit-1");
        await watcher.Watch("test-news", "sports");
        await watcher.Watch("test-news", "weather");

        var first = News("sports");
        await AppendAsync(dataSource, first, News("unwatched"));
        await Eventually.TrueAsync(() => Task.FromResult(StreamWatcherGrain.HasReceived("explicit-1", first.EventId)), s_within, "a subscribed stream's event arrives");

        Assert.True(await watcher.StopWatching("test-news", "sports"));
        Assert.False(await watcher.StopWatching("test-news", "sports"));
        var afterUnsubscribe = News("sports");
        await AppendAsync(dataSource, afterUnsubscribe);
        var marker = News("weather");
        await AppendAsync(dataSource, marker);

        // One partition delivers in commit order: once the later marker has arrived, the earlier event would have too.
        await Eventually.TrueAsync(() => Task.FromResult(StreamWatcherGrain.HasReceived("explicit-1", marker.EventId)), s_within, "the still-subscribed stream's event arrives");
        Assert.False(StreamWatcherGrain.HasReceived("explicit-1", afterUnsubscribe.EventId));
        Assert.Equal(2, StreamWatcherGrain.Received.Count(item => item.Watcher == "explicit-1"));
    }

    [Fact]
    public async Task Events_every_consumer_has_delivered_are_trimmed_from_the_outbox_and_undelivered_ones_stay()
    {
        var database = await CreateDatabaseAsync("streams-trim");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, streams: options =>
        {
            options.Partitions = 1;
            options.OutboxRetention = TimeSpan.Zero;
            options.OutboxTrimInterval = TimeSpan.FromMilliseconds(100);
        });

        var produced = await ProduceAsync(dataSource, "trim", transactions: 10);
        await WaitUntilAppliedAsync(dataSource, produced);
        // Everything below the checkpoint goes; the checkpointed event itself stays.
        await Eventually.TrueAsync(async () => await CountOutboxAsync(dataSource) == 1, s_within, "delivered events are trimmed");

        // An event behind an open transaction is not deliverable, so neither it nor anything after it is trimmed.
        await using var open = await dataSource.OpenConnectionAsync();
        await using var openTransaction = await open.BeginTransactionAsync();
        await StreamOutbox.AppendAsync(open, openTransaction, [StreamRecorderGrain.Event("trim-held", 1)]);
        await AppendAsync(dataSource, StreamRecorderGrain.Event("trim-behind", 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await CountOutboxAsync(dataSource));

        await openTransaction.CommitAsync();
        await WaitUntilAppliedAsync(dataSource, produced + 2);
        await AssertAppliedInOrderOnceAsync(dataSource, new Dictionary<string, int> { ["trim"] = produced, ["trim-held"] = 1, ["trim-behind"] = 1 });
        await Eventually.TrueAsync(async () => await CountOutboxAsync(dataSource) == 1, s_within, "the late events are trimmed once delivered");
    }

    [Fact]
    public void Recent_event_ids_skip_repeats_and_forget_the_oldest_beyond_capacity()
    {
        var recent = new RecentEventIds(capacity: 2);
        var events = Enumerable.Range(1, 3).Select(seq => ToStreamEvent(StreamRecorderGrain.Event("k", seq))).ToList();

        Assert.Equal(events, recent.Unseen([.. events, events[0]]));
        recent.MarkApplied(events);
        Assert.Equal([events[0]], recent.Unseen(events));
    }

    [Fact]
    public void Stream_options_are_validated_with_messages_that_name_the_setting()
    {
        var validator = new StreamOptionsValidator();
        Assert.True(validator.Validate(null, new StreamOptions()).Succeeded);

        var result = validator.Validate(null, new StreamOptions
        {
            Partitions = 0, BatchSize = 0, MaxDeliveryAttempts = 0, PollInterval = TimeSpan.Zero, RetryBackoff = TimeSpan.FromSeconds(5),
            MaxBatchesInFlight = 0, OutboxRetention = TimeSpan.FromSeconds(-1), OutboxTrimInterval = TimeSpan.Zero,
        });
        Assert.True(result.Failed);
        foreach (var setting in new[] { "Partitions", "BatchSize", "MaxDeliveryAttempts", "PollInterval", "RetryBackoff", "MaxBatchesInFlight", "OutboxRetention", "OutboxTrimInterval" })
        {
            Assert.Contains($"Payments:Streams:{setting}", result.FailureMessage);
        }
    }

    private static StreamEvent ToStreamEvent(OutboxMessage message) =>
        new(message.EventId, message.Stream, message.Type, System.Text.Json.JsonDocument.Parse(message.PayloadJson).RootElement, StreamSequenceToken.Start, DateTimeOffset.UtcNow);

    private static OutboxMessage News(string key) => OutboxMessage.Create(new StreamId("test-news", key), "Headline", "{}");

    private static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var database = await TestPostgres.CreateDatabaseAsync(purpose);
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var create = dataSource.CreateCommand(StreamRecorderGrain.CreateTableSql);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>Writes events 1..n of a stream in <paramref name="transactions"/> transactions of 1–3 events; returns n.</summary>
    private static async Task<int> ProduceAsync(NpgsqlDataSource dataSource, string key, int transactions, TimeSpan pause = default)
    {
        var seq = 0;
        for (var i = 0; i < transactions; i++)
        {
            var count = 1 + (i % 3);
            await AppendAsync(dataSource, Enumerable.Range(0, count).Select(_ => StreamRecorderGrain.Event(key, ++seq)).ToArray());
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        return seq;
    }

    private static async Task<long> CountOutboxAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM outbox_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task AppendAsync(NpgsqlDataSource dataSource, params OutboxMessage[] events)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await StreamOutbox.AppendAsync(connection, transaction, events);
        await transaction.CommitAsync();
    }

    /// <summary>A transaction that has taken its transaction id (as a writer does on its first write) and stays open.</summary>
    private static async Task<NpgsqlTransaction> BeginWithTransactionIdAsync(NpgsqlDataSource dataSource)
    {
        var connection = await dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id()", connection, transaction);
        await command.ExecuteScalarAsync();
        return transaction;
    }

    private static async Task<long> LeasedPartitionsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = x'5354524D'::int::oid AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int[]> LeaseHoldersAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = x'5354524D'::int::oid AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        var holders = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            holders.Add(reader.GetInt32(0));
        }

        return [.. holders];
    }

    private static async Task<long> CountAppliedAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM applied_events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitUntilAppliedAsync(NpgsqlDataSource dataSource, int count) =>
        Eventually.TrueAsync(async () => await CountAppliedAsync(dataSource) >= count, s_within, $"{count} events are applied");

    private static async Task<int[]> AppliedSequenceAsync(NpgsqlDataSource dataSource, string key)
    {
        await using var command = dataSource.CreateCommand("SELECT seq FROM applied_events WHERE stream_key = $1 ORDER BY applied");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        var seqs = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt32(0));
        }

        return [.. seqs];
    }

    /// <summary>Each stream's events were applied exactly 1..n in order, and nothing else was applied.</summary>
    private static async Task AssertAppliedInOrderOnceAsync(NpgsqlDataSource dataSource, IReadOnlyDictionary<string, int> expected)
    {
        foreach (var (key, count) in expected)
        {
            Assert.Equal(Enumerable.Range(1, count), await AppliedSequenceAsync(dataSource, key));
        }

        Assert.Equal(expected.Values.Sum(), await CountAppliedAsync(dataSource));
    }
}
