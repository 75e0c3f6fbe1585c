using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.Grains.Interfaces.Idempotency;
using Orleans;
using Payments.TestSupport;

namespace Payments.Benchmarks.Notifications;

/// <summary>
/// Notification latency: transfers paced at a fixed rate through the grain path (in-process silo, durable PostgreSQL)
/// while real WebSocket clients of the receivers time each payment_received. Two clocks: from the moment the transfer
/// call returned 201 (commit → receipt, what a user sees), and from the transfer's createdAt (admission, so it includes
/// the group commit).
/// </summary>
internal static class NotificationsBenchmark
{
    private const int Users = 2_000;
    private const int Receivers = 200;
    private const int MaxInFlight = 4_000;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, int rate)
    {
        // Its own server folder (and, as every benchmark silo, its own free ports), so it can run beside the other benchmarks.
        await using var postgres = await BenchmarkPostgres.StartAsync("orleans-payments-bench-notifications");
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var users = await BenchmarkUsers.SeedAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), Users);
        await BenchmarkUsers.FundAsync(grains, users);
        var tokens = await BenchmarkUsers.LoginAllAsync(grains, users);
        Console.WriteLine($"Seeded, funded and logged in {users.Length} users; {Receivers} of them listen on WebSockets");

        var baseAddress = new Uri(app.Urls.First());
        var sockets = await Task.WhenAll(Enumerable.Range(0, Receivers).Select(index => NotificationSocketClient.ConnectAsync(baseAddress, tokens[index])));
        var received = new ConcurrentDictionary<string, long>();
        using var listening = new CancellationTokenSource();
        var receiving = sockets.Select(socket => Task.Run(() => ReceiveAsync(socket, received, listening.Token))).ToArray();

        // Warm up (JIT, pools, activations), then measure.
        await PaceAsync(grains, users, rate, TimeSpan.FromSeconds(3), new ConcurrentDictionary<string, (long, DateTimeOffset)>());
        var sent = new ConcurrentDictionary<string, (long AcknowledgedAt, DateTimeOffset CreatedAt)>();
        var achieved = await PaceAsync(grains, users, rate, duration, sent);

        // Let the last notifications arrive (bounded), then stop listening.
        var waitUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (sent.Keys.Any(id => !received.ContainsKey(id)) && Stopwatch.GetTimestamp() < waitUntil)
        {
            await Task.Delay(100);
        }

        await listening.CancelAsync();
        await Task.WhenAll(receiving);
        foreach (var socket in sockets)
        {
            await socket.DisposeAsync();
        }

        var fromAcknowledgement = new LatencyRecorder();
        var fromCreation = new LatencyRecorder();
        var beforeAcknowledgement = 0;
        var missing = 0;
        var clockOffset = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
        foreach (var (id, (acknowledgedAt, createdAt)) in sent)
        {
            if (!received.TryGetValue(id, out var receivedAt))
            {
                missing++;
                continue;
            }

            var afterAcknowledgement = Stopwatch.GetElapsedTime(acknowledgedAt, receivedAt).TotalMilliseconds;
            beforeAcknowledgement += afterAcknowledgement < 0 ? 1 : 0;
            fromAcknowledgement.Record(Math.Max(0, afterAcknowledgement));
            var receivedWallClock = clockOffset + TimeSpan.FromSeconds(receivedAt / (double)Stopwatch.Frequency);
            fromCreation.Record((receivedWallClock - createdAt).TotalMilliseconds);
        }

        report.Add(Row("from 201", fromAcknowledgement, achieved, sent.Count, missing, beforeAcknowledgement));
        report.Add(Row("from createdAt", fromCreation, achieved, sent.Count, missing, beforeAcknowledgement));
        await app.StopAsync();
    }

    private static JsonObject Row(string clock, LatencyRecorder latencies, double achieved, int transfers, int missing, int beforeAcknowledgement)
    {
        var (p50, p95, p99) = LatencyRecorder.Percentiles([latencies]);
        return new JsonObject
        {
            ["scenario"] = "notifications",
            ["clock"] = clock,
            ["transfersPerSecond"] = Math.Round(achieved),
            ["transfers"] = transfers,
            ["received"] = latencies.Count,
            ["missing"] = missing,
            ["beforeThe201"] = beforeAcknowledgement,
            ["p50Ms"] = p50,
            ["p95Ms"] = p95,
            ["p99Ms"] = p99,
        };
    }

    /// <summary>Open loop: starts transfers at <paramref name="rate"/> per second whatever the answers' speed (bounded in flight).</summary>
    private static async Task<double> PaceAsync(IGrainFactory grains, string[] users, int rate, TimeSpan duration, ConcurrentDictionary<string, (long, DateTimeOffset)> sent)
    {
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var running = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        var count = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (Stopwatch.GetElapsedTime(started) < duration && await timer.WaitForNextTickAsync())
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
            for (; count < due; count++)
            {
                if (!inFlight.Wait(0))
                {
                    break; // Saturated: the achieved rate will show it.
                }

                var receiver = Random.Shared.Next(Receivers);
                var sender = Receivers + Random.Shared.Next(users.Length - Receivers);
                running.Add(SendAsync(grains, users[sender], users[receiver], sent, inFlight));
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.WhenAll(running);
        return count / elapsed;
    }

    private static async Task SendAsync(IGrainFactory grains, string from, string to, ConcurrentDictionary<string, (long, DateTimeOffset)> sent, SemaphoreSlim inFlight)
    {
        try
        {
            var key = Guid.NewGuid().ToString("N");
            var response = await grains.GetGrain<IIdempotencyGrain>($"{from}/{key}").Execute(new TransferCommand(from, to, 1, "USD", "", "public"), key);
            var acknowledgedAt = Stopwatch.GetTimestamp();
            if (response.Status == 201)
            {
                var transfer = JsonNode.Parse(response.Body)!["transfer"]!;
                sent[transfer["id"]!.GetValue<string>()] = (acknowledgedAt, transfer["createdAt"]!.GetValue<DateTimeOffset>());
            }
        }
        finally
        {
            inFlight.Release();
        }
    }

    private static async Task ReceiveAsync(NotificationSocketClient socket, ConcurrentDictionary<string, long> received, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // The load generator shares the cores with the system it measures: two messages in three
                // (balance_updated) are skipped on a substring test instead of a parse.
                var (text, receivedAt) = await socket.NextTextAsync(text => text.Contains("payment_received", StringComparison.Ordinal), TimeSpan.FromMinutes(10), stop);
                using var message = JsonDocument.Parse(text);
                if (message.RootElement.GetProperty("type").GetString() == "payment_received")
                {
                    received.TryAdd(message.RootElement.GetProperty("data").GetProperty("id").GetString()!, receivedAt);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Done listening.
        }
    }
}
