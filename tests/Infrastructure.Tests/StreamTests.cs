using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Streams;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.Tests.Grains;
using Payments.Infrastructure.Tests.Infrastructure;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// The outbox as an Orleans stream provider, against a real PostgreSQL: order per stream, no loss and no double
/// application across restarts, events committed behind open transactions, rolled-back events, dead letters,
/// retention, the backlog, silos that do not deliver, and the cache's release and retry rules.
/// </summary>
public sealed class StreamTests
{
    private static readonly int[] s_appliedAroundThePoison = [1, 3, 4];

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
    public async Task A_partition_whose_cache_fills_goes_on_delivering()
    {
        var database = await CreateDatabaseAsync("streams-full-cache");
        await using var dataSource = NpgsqlDataSource.Create(database);

        // A cache of 2 events is full after every read: the agent must release delivered events and read again.
        await using var silo = await TestSilo.StartAsync(database, streams => (streams.BatchSize, streams.MaxBatchesInFlight) = (2, 1));
        var expected = await Task.WhenAll(Enumerable.Range(0, 5).Select(stream => ProduceAsync(dataSource, $"full-{stream}", transactions: 10)));

        await WaitUntilAppliedAsync(dataSource, expected.Sum());
        await AssertAppliedInOrderOnceAsync(dataSource, Enumerable.Range(0, 5).ToDictionary(stream => $"full-{stream}", stream => expected[stream]));
    }

    [Fact]
    public async Task Delivery_resumes_after_a_restart_without_loss_or_double_application()
    {
        var database = await CreateDatabaseAsync("streams-restart");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var first = await TestSilo.StartAsync(database);
        var producing = Task.WhenAll(Enumerable.Range(0, 10).Select(stream => ProduceAsync(dataSource, $"restart-{stream}", transactions: 60, pause: TimeSpan.FromMilliseconds(5))));

        // Stopped mid-burst: what it delivered but had not checkpointed yet is delivered again by the next silo.
        await Eventually.TrueAsync(async () => await CountAppliedAsync(dataSource) > 50, s_within, "the first silo delivers");
        await first.DisposeAsync();
        await using var second = await TestSilo.StartAsync(database);
        var expected = await producing;

        await WaitUntilAppliedAsync(dataSource, expected.Sum());
        await AssertAppliedInOrderOnceAsync(dataSource, Enumerable.Range(0, 10).ToDictionary(stream => $"restart-{stream}", stream => expected[stream]));
    }

    [Fact]
    public async Task Partitions_move_between_silos_as_they_join_and_leave_without_loss_or_double_application()
    {
        var database = await CreateDatabaseAsync("streams-two-silos");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var primary = await TestSilo.StartAsync(database);
        var producing = Task.WhenAll(Enumerable.Range(0, 10).Select(stream => ProduceAsync(dataSource, $"moving-{stream}", transactions: 200, pause: TimeSpan.FromMilliseconds(10))));

        // Orleans hands some partitions to the second silo when it joins, and back when it leaves, mid-burst.
        await Eventually.TrueAsync(async () => await CountAppliedAsync(dataSource) > 50, s_within, "the first silo delivers");
        var second = await TestSilo.StartAsync(database, primary: primary);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await second.DisposeAsync();
        Assert.False(producing.IsCompleted, "the partitions moved while events were being written");
        var expected = await producing;

        await WaitUntilAppliedAsync(dataSource, expected.Sum());
        await AssertAppliedInOrderOnceAsync(dataSource, Enumerable.Range(0, 10).ToDictionary(stream => $"moving-{stream}", stream => expected[stream]));
    }

    [Fact]
    public async Task An_event_committed_after_a_later_position_is_not_skipped()
    {
        var database = await CreateDatabaseAsync("streams-out-of-order");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, options => options.Partitions = 1);

        // The slow transaction takes the earlier position and stays open while a later position commits.
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
        await using var silo = await TestSilo.StartAsync(database, options => options.Partitions = 1);

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
    public async Task No_event_of_a_rolled_back_transaction_is_delivered()
    {
        var database = await CreateDatabaseAsync("streams-rollback");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, options => options.Partitions = 1);

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await StreamOutbox.AppendAsync(connection, transaction, [StreamRecorderGrain.Event("undone", 1)]);
            await transaction.RollbackAsync();
        }

        // One partition delivers in commit order: once the later event is applied, the undone one would have been.
        await AppendAsync(dataSource, StreamRecorderGrain.Event("done", 1));
        await WaitUntilAppliedAsync(dataSource, 1);
        await AssertAppliedInOrderOnceAsync(dataSource, new Dictionary<string, int> { ["done"] = 1 });
    }

    [Fact]
    public async Task A_poison_event_goes_to_the_dead_letter_table_after_bounded_retries_and_the_stream_goes_on()
    {
        var database = await CreateDatabaseAsync("streams-dead-letter");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database, options => options.MaxDeliveryTime = TimeSpan.FromSeconds(1));

        // One transaction: the three events travel in one batch, which fails as a whole and is then retried one by one.
        var poison = StreamRecorderGrain.Event("poisoned", 2, poison: true);
        await AppendAsync(dataSource, StreamRecorderGrain.Event("poisoned", 1), poison, StreamRecorderGrain.Event("poisoned", 3));
        await AppendAsync(dataSource, StreamRecorderGrain.Event("poisoned", 4));

        await WaitUntilAppliedAsync(dataSource, 3);
        Assert.Equal(s_appliedAroundThePoison, await AppliedSequenceAsync(dataSource, "poisoned"));
        IReadOnlyList<StreamDeadLetter> letters = [];
        await Eventually.TrueAsync(async () => (letters = (await new StreamDeadLetterTable(dataSource).ListAsync(0, 10)).Items).Count > 0, s_within, "the dead letter is written");
        var letter = Assert.Single(letters);
        var grain = silo.GrainFactory.GetGrain<IStreamRecorderGrain>("poisoned").GetGrainId();
        Assert.Equal(poison.EventId, letter.EventId);
        Assert.Equal($"{grain.Type}/{grain.Key}", letter.Grain);
        Assert.Equal(grain.Type.ToString(), letter.Consumer);
        Assert.Equal(StreamRecorderGrain.Namespace, letter.StreamNamespace);
        Assert.True(letter.Attempts >= 1, $"attempts: {letter.Attempts}");
        Assert.Contains("cannot be applied", letter.Error);
        Assert.True(letter.Payload.GetProperty("poison").GetBoolean());
        Assert.Equal(0, await CountRowsAsync(dataSource, "stream_delivery_failures"));
    }

    [Fact]
    public async Task The_backlog_counts_committed_events_until_they_are_delivered()
    {
        var database = await CreateDatabaseAsync("streams-backlog");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var backlog = new StreamBacklog(dataSource, partitions: 4);

        // Appended while no silo delivers: no partition has a checkpoint, so all of them wait.
        await using (await TestSilo.StartAsync(database, options => options.Deliver = false))
        {
            await AppendAsync(dataSource, StreamRecorderGrain.Event("backlog-a", 1), StreamRecorderGrain.Event("backlog-a", 2));
            await AppendAsync(dataSource, StreamRecorderGrain.Event("backlog-b", 1));
            Assert.Equal(3, await backlog.CountPendingAsync());
        }

        await using (await TestSilo.StartAsync(database))
        {
            await WaitUntilAppliedAsync(dataSource, 3);
            await Eventually.TrueAsync(async () => await backlog.CountPendingAsync() == 0, s_within, "the checkpoints pass the delivered events");
        }

        // Past the checkpoints only what came after counts.
        await AppendAsync(dataSource, StreamRecorderGrain.Event("backlog-c", 1));
        Assert.Equal(1, await backlog.CountPendingAsync());
    }

    [Fact]
    public async Task A_silo_that_does_not_deliver_reads_and_checkpoints_nothing()
    {
        var database = await CreateDatabaseAsync("streams-no-delivery");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using (await TestSilo.StartAsync(database, options => options.Deliver = false))
        {
            var produced = await ProduceAsync(dataSource, "silent", transactions: 5);
            await Task.Delay(500);
            Assert.Equal(0, await CountAppliedAsync(dataSource));
            Assert.Equal(0, await CountRowsAsync(dataSource, "stream_checkpoints"));
            Assert.Equal(produced, await new StreamBacklog(dataSource, new StreamOptions().Partitions).CountPendingAsync());
        }
    }

    [Fact]
    public async Task Retention_trims_only_events_the_provider_has_delivered()
    {
        var database = await CreateDatabaseAsync("streams-trim");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var options = new StreamOptions { Partitions = 1, OutboxRetention = TimeSpan.Zero };
        await using (await TestSilo.StartAsync(database, silo => silo.Partitions = 1))
        {
            await WaitUntilAppliedAsync(dataSource, await ProduceAsync(dataSource, "trim", transactions: 10));
            await Eventually.TrueAsync(async () => await new StreamBacklog(dataSource, 1).CountPendingAsync() == 0, s_within, "the checkpoint passes the delivered events");
        }

        await AppendAsync(dataSource, StreamRecorderGrain.Event("trim", 100));
        var janitor = Janitor(dataSource, options);

        Assert.True(await janitor.CleanAsync(CancellationToken.None) >= 10);
        Assert.Equal(1, await CountRowsAsync(dataSource, "outbox_events"));
    }

    [Fact]
    public async Task Partitions_without_events_move_their_checkpoints_past_the_others_so_the_outbox_is_trimmed()
    {
        var database = await CreateDatabaseAsync("streams-quiet");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var options = new StreamOptions { Partitions = 4, OutboxRetention = TimeSpan.Zero };
        await using (await TestSilo.StartAsync(database, silo => silo.Partitions = 4))
        {
            // One stream: one partition delivers, the three others only walk past its rows.
            var produced = await ProduceAsync(dataSource, "quiet", transactions: 10);
            await WaitUntilAppliedAsync(dataSource, produced);
            await Eventually.TrueAsync(async () => await CountCheckpointsPastLastEventAsync(dataSource) == 4, s_within, "every partition checkpoints past the last event");
            Assert.Equal(0, await new StreamBacklog(dataSource, 4).CountPendingAsync());
        }

        var janitor = Janitor(dataSource, options);
        Assert.True(await janitor.CleanAsync(CancellationToken.None) >= 10);
        Assert.Equal(0, await CountRowsAsync(dataSource, "outbox_events"));
    }

    [Fact]
    public async Task Events_produced_through_the_Orleans_stream_are_appended_to_the_outbox_and_delivered()
    {
        var database = await CreateDatabaseAsync("streams-orleans-producer");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var silo = await TestSilo.StartAsync(database);
        var stream = silo.Client.GetStreamProvider(OutboxStreams.ProviderName).GetStream<StreamEvent>(StreamId.Create(StreamRecorderGrain.Namespace, "orleans"));

        var events = Enumerable.Range(1, 3).Select(seq => ToStreamEvent(StreamRecorderGrain.Event("orleans", seq))).ToList();
        await stream.OnNextBatchAsync(events);

        await WaitUntilAppliedAsync(dataSource, 3);
        await AssertAppliedInOrderOnceAsync(dataSource, new Dictionary<string, int> { ["orleans"] = 3 });
    }

    [Fact]
    public async Task The_partition_of_a_stream_in_dotnet_is_the_one_PostgreSQL_computes()
    {
        var database = await TestPostgres.CreateDatabaseAsync("streams-partition");
        await using var dataSource = NpgsqlDataSource.Create(database);
        var keys = Enumerable.Range(0, 500).Select(i => $"user-{i}").Concat(["", "é", "漢字/ключ", new string('x', 37), "a/b/c"]).ToArray();
        await using var command = dataSource.CreateCommand($"SELECT {OutboxPartition.Sql(null, "7")} FROM unnest($1::text[]) AS k(stream_key), (SELECT 'transfers'::text AS stream_namespace) n");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        var partitions = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                partitions.Add(reader.GetInt32(0));
            }
        }

        Assert.Equal(partitions, keys.Select(key => OutboxPartition.Of(StreamId.Create("transfers", key), 7)));
        Assert.Equal(Enumerable.Range(0, 7), partitions.Distinct().Order());
    }

    [Fact]
    public void The_cache_releases_a_container_only_once_every_consumer_has_passed_it_and_everything_before_it()
    {
        var cache = new OutboxQueueCache(capacity: 100, new SplitBatches());
        var a1 = Container("a", 1);
        var b2 = Container("b", 2);
        var a3 = Container("a", 3);
        cache.AddToCache([a1, b2, a3]);
        var readerA = Cursor(cache, "a");
        var readerB = Cursor(cache, "b");

        // Both cursors pin their first containers: nothing is released.
        Assert.False(cache.TryPurgeFromCache(out _));
        Assert.Same(a1, Next(readerA));
        Assert.Same(b2, Next(readerB));
        Assert.Same(a3, Next(readerA));

        // a1 is past; b2 is still being delivered, so nothing after it goes either (the checkpoint is a prefix).
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([a1], purged);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, readerB.MoveNextWithResult().Kind);
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, readerA.MoveNextWithResult().Kind);
        Assert.True(cache.TryPurgeFromCache(out purged));
        Assert.Equal([b2, a3], purged);

        // A cursor that caught up picks up what is added later.
        var a4 = Container("a", 4);
        cache.AddToCache([a4]);
        readerA.Refresh(a4.SequenceToken);
        Assert.False(cache.TryPurgeFromCache(out _));
        Assert.Same(a4, Next(readerA));
    }

    [Fact]
    public void A_full_cache_still_lets_the_agent_read_so_that_delivered_containers_are_released()
    {
        var cache = new OutboxQueueCache(capacity: 2, new SplitBatches());
        var a1 = Container("a", 1);
        var a2 = Container("a", 2);
        cache.AddToCache([a1, a2]);
        var reader = Cursor(cache, "a");
        Assert.Same(a1, Next(reader));
        Assert.Same(a2, Next(reader));
        Assert.Equal(QueueCacheCursorMoveResultKind.NoData, reader.MoveNextWithResult().Kind);

        // Full, and everything delivered. The agent reads only when this is above 0, and purges only in that read.
        Assert.True(cache.IsUnderPressure());
        Assert.True(cache.GetMaxAddCount() > 0);
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([a1, a2], purged);
        Assert.False(cache.IsUnderPressure());
        Assert.Equal(2, cache.GetMaxAddCount());
    }

    [Fact]
    public void A_container_that_failed_as_a_whole_is_delivered_again_one_event_at_a_time()
    {
        var splits = new SplitBatches();
        var cache = new OutboxQueueCache(capacity: 100, splits);
        var batch = Container("a", 1, 2, 3);
        var after = Container("a", 4);
        cache.AddToCache([batch, after]);
        var cursor = Cursor(cache, "a");
        Assert.Same(batch, Next(cursor));

        cursor.RecordDeliveryFailure();

        // The failure handler is told the failure is a retry, not a dead letter, once.
        Assert.True(splits.TryTake(batch.SequenceToken));
        Assert.False(splits.TryTake(batch.SequenceToken));
        var singles = Enumerable.Range(0, 3).Select(_ => (OutboxBatchContainer)Next(cursor)).ToList();
        Assert.Equal(batch.Events, singles.Select(single => Assert.Single(single.Events)));

        // While the events go one by one the batch stays pinned: the checkpoint cannot pass them.
        Assert.False(cache.TryPurgeFromCache(out _));
        cursor.RecordDeliveryFailure(); // a single event that fails is not split again
        Assert.False(splits.TryTake(singles[^1].SequenceToken));
        Assert.Same(after, Next(cursor));
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([batch], purged);
    }

    [Fact]
    public void Tokens_order_by_transaction_then_position_then_index()
    {
        var first = new OutboxSequenceToken(new OutboxPosition(5, 900), 0);
        var laterPosition = new OutboxSequenceToken(new OutboxPosition(5, 901), 0);
        var laterTransaction = new OutboxSequenceToken(new OutboxPosition(6, 10), 0);
        var secondEvent = new OutboxSequenceToken(new OutboxPosition(5, 900), 1);

        Assert.True(first.Older(laterPosition));
        Assert.True(laterPosition.Older(laterTransaction));
        Assert.True(first.Older(secondEvent));
        Assert.Equal(first, new OutboxSequenceToken(new OutboxPosition(5, 900), 0));
        Assert.Equal(900, first.SequenceNumber);
    }

    [Fact]
    public void Recent_event_ids_skip_what_was_applied_and_forget_the_oldest()
    {
        var recent = new RecentEventIds(capacity: 2);
        var events = Enumerable.Range(1, 3).Select(seq => ToStreamEvent(StreamRecorderGrain.Event("recent", seq))).ToList();

        recent.MarkApplied(events[..2]);
        Assert.Equal([events[2]], recent.Unseen(events));

        recent.MarkApplied([events[2]]);
        Assert.Equal([events[0]], recent.Unseen(events));
    }

    [Fact]
    public void Stream_options_are_validated_with_messages_that_name_the_setting()
    {
        var validator = new StreamOptionsValidator();
        Assert.True(validator.Validate(null, new StreamOptions()).Succeeded);

        var result = validator.Validate(null, new StreamOptions
        {
            Partitions = 0, BatchSize = 0, MaxBatchesInFlight = 0, PollInterval = TimeSpan.Zero, MaxDeliveryTime = TimeSpan.Zero,
            RetryBackoff = TimeSpan.FromSeconds(5), OutboxRetention = TimeSpan.FromSeconds(-1), OutboxTrimInterval = TimeSpan.Zero,
        });
        Assert.True(result.Failed);
        foreach (var setting in new[] { "Partitions", "BatchSize", "MaxBatchesInFlight", "PollInterval", "MaxDeliveryTime", "RetryBackoff", "OutboxRetention", "OutboxTrimInterval" })
        {
            Assert.Contains($"Payments:Streams:{setting}", result.FailureMessage);
        }
    }

    private static OutboxBatchContainer Container(string key, params long[] positions) =>
        new(positions.Select(position => ToStreamEvent(StreamRecorderGrain.Event(key, (int)position)) with { Position = new OutboxPosition(1, position) }).ToList());

    private static IQueueCacheCursor Cursor(OutboxQueueCache cache, string key) =>
        cache.TryGetCacheCursor(StreamId.Create(StreamRecorderGrain.Namespace, key), null).Cursor!;

    private static IBatchContainer Next(IQueueCacheCursor cursor)
    {
        Assert.Equal(QueueCacheCursorMoveResultKind.Success, cursor.MoveNextWithResult().Kind);
        return cursor.GetCurrent(out _)!;
    }

    private static StreamEvent ToStreamEvent(OutboxMessage message) =>
        new(message.EventId, message.Stream, message.Type, JsonDocument.Parse(message.PayloadJson).RootElement, OutboxPosition.Start, DateTimeOffset.UtcNow);

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

    private static async Task<long> CountRowsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static StreamOutboxJanitor Janitor(NpgsqlDataSource dataSource, StreamOptions options) => new(
        dataSource, new StreamDeliveryFailures(dataSource, NullLogger<StreamDeliveryFailures>.Instance), Options.Create(options), TimeProvider.System, NullLogger<StreamOutboxJanitor>.Instance);

    private static async Task<long> CountCheckpointsPastLastEventAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*) FROM stream_checkpoints
            WHERE (transaction_id, position) >= (SELECT transaction_id, position FROM outbox_events ORDER BY transaction_id DESC, position DESC LIMIT 1)
            """);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task<long> CountAppliedAsync(NpgsqlDataSource dataSource) => CountRowsAsync(dataSource, "applied_events");

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
