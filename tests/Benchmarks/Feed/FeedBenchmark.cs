using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Grains.Interfaces.Idempotency;
using Orleans;

namespace Payments.Benchmarks.Feed;

/// <summary>
/// Fan-out on write: one user with 1,000 friends sends <c>transfers</c> friends-visible transfers to them (64 at a time,
/// through the idempotency grain → wallet → ledger → outbox → TransferCompleted stream → feed fan-out). Each transfer
/// lands in 1,001 feeds (the sender's friends include the receiver, plus the sender). Measured: feed items written per
/// second from the first send until the fan-out has caught up, on durable PostgreSQL (fsync and synchronous commit on).
/// </summary>
internal static class FeedBenchmark
{
    private const int Friends = 1_000;
    private const int Senders = 64;

    public static async Task RunAsync(BenchmarkReport report, int transfers)
    {
        await using var postgres = await BenchmarkPostgres.StartAsync("orleans-payments-bench-feed");
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var users = await BenchmarkUsers.SeedAsync(dataSource, Friends + 1);
        await BenchmarkUsers.FundAsync(grains, users);
        await BefriendAsync(dataSource, users[0], users[1..]);
        await WaitForFanOutAsync(dataSource, await CountAsync(dataSource, "SELECT count(*) FROM outbox_events WHERE type = 'TransferCompleted'"));
        var itemsBefore = await CountAsync(dataSource, "SELECT count(*) FROM feed_items");
        Console.WriteLine($"Seeded {users.Length} users; {users[0]} has {Friends} friends");

        var started = Stopwatch.GetTimestamp();
        var next = -1;
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < transfers; i = Interlocked.Increment(ref next))
            {
                var command = new TransferCommand(users[0], users[1 + i % Friends], 1, "USD", $"bench {i}", "friends");
                var key = Guid.NewGuid().ToString("N");
                var response = await grains.GetGrain<IIdempotencyGrain>($"{users[0]}/{key}").Execute(command, key);
                if (response.Status != 201)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })));
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var committed = transfers - refused;
        await WaitForFanOutAsync(dataSource, committed);
        var totalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var items = await CountAsync(dataSource, "SELECT count(*) FROM feed_items") - itemsBefore;
        if (items != (long)committed * (Friends + 1))
        {
            throw new InvalidOperationException($"Expected {committed * (Friends + 1)} feed items, found {items}.");
        }

        report.Add(new JsonObject
        {
            ["scenario"] = "feed-fan-out",
            ["friends"] = Friends,
            ["transfers"] = committed,
            ["feedItems"] = items,
            ["sendSeconds"] = Math.Round(sendSeconds, 2),
            ["fanOutSeconds"] = Math.Round(totalSeconds, 2),
            ["feedItemsPerSecond"] = Math.Round(items / totalSeconds),
            ["refused"] = refused,
        });
        await app.StopAsync();
    }

    /// <summary>Friendship rows straight into the table, both directions (making friends is not what is measured).</summary>
    private static async Task BefriendAsync(NpgsqlDataSource dataSource, string user, IEnumerable<string> friends)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO friendships (user_id, friend_id, created_at)
            SELECT $1, f, now() FROM unnest($2::uuid[]) AS f
            UNION ALL
            SELECT f, $1, now() FROM unnest($2::uuid[]) AS f
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(user) });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = friends.Select(Guid.Parse).ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every committed transfer has its post, and a post is written in the statement that writes its items.</summary>
    private static async Task WaitForFanOutAsync(NpgsqlDataSource dataSource, long transfers)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 600;
        while (await CountAsync(dataSource, "SELECT count(*) FROM feed_posts") < transfers)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("The fan-out did not catch up within 10 minutes.");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
