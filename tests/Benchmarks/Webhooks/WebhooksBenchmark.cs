using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Webhooks;
using Payments.Infrastructure.Streams;
using Payments.TestSupport;

namespace Payments.Benchmarks.Webhooks;

/// <summary>
/// Webhook deliveries a second to a local receiver, and the time from an event's commit to its arrival, at a steady
/// paced load: payment events are committed to the merchant's stream (as a payment's transaction commits them) for a
/// merchant with <see cref="Endpoints"/> endpoints, so each event is that many deliveries. Against a baseline in the same
/// run: a queue table that workers drain with <c>FOR UPDATE SKIP LOCKED</c>, posting each row and deleting it in one
/// transaction, polled every 50 ms when empty.
/// </summary>
internal static class WebhooksBenchmark
{
    private const int Endpoints = 4;
    private const int BaselineWorkers = 32;
    private const int MaxInFlight = 256;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, int deliveriesPerSecond)
    {
        await using var postgres = await BenchmarkPostgres.StartAsync("orleans-payments-bench-webhooks");
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString, new Dictionary<string, string?>
        {
            ["Payments:Webhooks:AllowPrivateTargets"] = "true",
            ["Payments:Webhooks:AllowHttp"] = "true",
        });
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var (_, merchantId) = await BenchmarkMerchant.CreateAsync(app, "Webhook merchant");
        await using var receiver = await Receiver.StartAsync();
        for (var i = 0; i < Endpoints; i++)
        {
            var created = await grains.GetGrain<IWebhookEndpointGrain>(PrefixedId.New(PrefixedId.WebhookEndpoint)).Create(merchantId, receiver.Url($"grains-{i}"), [WebhookEventTypes.All], null);
            if (created.Error is { } refused)
            {
                throw new InvalidOperationException(refused.Message);
            }
        }

        await using var data = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 300 }.ConnectionString);
        var eventsPerSecond = Math.Max(1, deliveriesPerSecond / Endpoints);
        var payload = SamplePayload(merchantId);

        // Grains: events into the merchant's stream; the platform delivers them.
        await PaceAsync(eventsPerSecond, ClosedLoop.WarmUp, id => AppendEventAsync(data, merchantId, id, payload), new ConcurrentDictionary<string, long>());
        await receiver.DrainAsync(TimeSpan.FromSeconds(60));
        var grainsSent = new ConcurrentDictionary<string, long>();
        var grainsRate = await PaceAsync(eventsPerSecond, duration, id => AppendEventAsync(data, merchantId, id, payload), grainsSent);
        report.Add(await ResultAsync(receiver, "grains", grainsSent, grainsRate));

        // Baseline: the same deliveries as rows of a queue table that workers drain.
        using var baseline = new QueueTableSender(data, receiver);
        await baseline.SetUpAsync();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, BaselineWorkers).Select(_ => Task.Run(() => baseline.WorkAsync(stop.Token))).ToArray();
        var baselineSent = new ConcurrentDictionary<string, long>();
        var baselineRate = await PaceAsync(eventsPerSecond, duration, id => baseline.EnqueueAsync(id, Endpoints, payload), baselineSent);
        report.Add(await ResultAsync(receiver, "queue-table", baselineSent, baselineRate));
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        await app.StopAsync();
    }

    private static async Task<JsonObject> ResultAsync(Receiver receiver, string implementation, ConcurrentDictionary<string, long> sent, double eventsPerSecond)
    {
        await receiver.DrainAsync(TimeSpan.FromSeconds(30));
        var latencies = new LatencyRecorder();
        long delivered = 0, missing = 0, firstCommit = long.MaxValue, lastArrival = 0;
        foreach (var (eventId, committedAt) in sent)
        {
            var arrivals = receiver.ArrivalsOf(eventId);
            missing += Endpoints - arrivals.Count;
            firstCommit = Math.Min(firstCommit, committedAt);
            foreach (var arrivedAt in arrivals)
            {
                delivered++;
                lastArrival = Math.Max(lastArrival, arrivedAt);
                latencies.Record(Stopwatch.GetElapsedTime(committedAt, arrivedAt).TotalMilliseconds);
            }
        }

        // Sustained: what arrived over the time from the first commit to the last arrival (a backlog stretches it).
        var sustained = delivered / Math.Max(0.001, Stopwatch.GetElapsedTime(firstCommit, lastArrival).TotalSeconds);

        var (p50, p95, p99) = LatencyRecorder.Percentiles([latencies]);
        var row = new JsonObject
        {
            ["scenario"] = "webhooks",
            ["implementation"] = implementation,
            ["endpoints"] = Endpoints,
            ["eventsPerSecond"] = Math.Round(eventsPerSecond),
            ["offeredPerSecond"] = Math.Round(eventsPerSecond * Endpoints),
            ["deliveriesPerSecond"] = Math.Round(sustained),
            ["delivered"] = delivered,
            ["missing"] = missing,
            ["p50Ms"] = p50,
            ["p95Ms"] = p95,
            ["p99Ms"] = p99,
        };
        Console.WriteLine(string.Join("  ", row.Select(pair => $"{pair.Key}={pair.Value}")));
        return row;
    }

    /// <summary>Open loop: commits events at <paramref name="rate"/> a second whatever the answers' speed (bounded in flight); the achieved rate.</summary>
    private static async Task<double> PaceAsync(int rate, TimeSpan duration, Func<Guid, Task> commit, ConcurrentDictionary<string, long> sent)
    {
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var running = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        var count = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (Stopwatch.GetElapsedTime(started) < duration && await timer.WaitForNextTickAsync())
        {
            for (var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate); count < due && inFlight.Wait(0); count++)
            {
                running.Add(CommitAsync(Guid.CreateVersion7()));
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.WhenAll(running);
        return count / elapsed;

        async Task CommitAsync(Guid id)
        {
            try
            {
                await commit(id);
                sent[PrefixedId.Event + id.ToString("N")] = Stopwatch.GetTimestamp();
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    private static async Task AppendEventAsync(NpgsqlDataSource data, string merchantId, Guid id, string payload)
    {
        await using var connection = await data.OpenConnectionAsync();
        await StreamOutbox.AppendAsync(connection, null, [new OutboxMessage(id, StreamId.Create(MerchantPaymentStream.Namespace, merchantId), "payment.succeeded", payload)]);
    }

    /// <summary>A payment change as a captured card payment puts it on the stream (about the size of a real one).</summary>
    private static string SamplePayload(string merchantId)
    {
        var now = DateTimeOffset.UtcNow;
        var payment = new PaymentView(
            PrefixedId.New(PrefixedId.Payment), merchantId, PaymentStatus.Succeeded, 2_500, 0, 2_500, 0, 103, "USD", CaptureMethods.Automatic,
            new PaymentMethodView("card", "visa", "4242", 12, 2030, new string('f', 64), null), "Order 1234", new Dictionary<string, string> { ["order"] = "1234" },
            "customer-1", new FraudView(0, FraudOutcomes.Allow, []), null, "A1B2C3", [], now, null, now, null, null);
        return JsonSerializer.Serialize(new PaymentChangedEvent("payment.succeeded", 2_500, now, 2, payment), PaymentsJson.Options);
    }

    /// <summary>A receiver in this process: records when each webhook (by its id) arrives, per hook, and answers 200.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, ConcurrentBag<long>> _arrivals = new();
        private long _lastArrival = Stopwatch.GetTimestamp();

        private Receiver(WebApplication app) => _app = app;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
            builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPort.Free()}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hooks/{name}", (HttpRequest request) =>
            {
                var id = request.Headers["webhook-id"].ToString();
                receiver._arrivals.GetOrAdd(id, _ => []).Add(Stopwatch.GetTimestamp());
                receiver._lastArrival = Stopwatch.GetTimestamp();
                return Results.Ok();
            });
            await app.StartAsync();
            return receiver;
        }

        public string Url(string name) => $"{_app.Urls.First()}/hooks/{name}";

        public IReadOnlyCollection<long> ArrivalsOf(string eventId) => _arrivals.TryGetValue(eventId, out var arrivals) ? arrivals : [];

        /// <summary>Waits until nothing has arrived for a second (or <paramref name="atMost"/>), then forgets what arrived.</summary>
        public async Task DrainAsync(TimeSpan atMost)
        {
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(_lastArrival) < TimeSpan.FromSeconds(1) && Stopwatch.GetElapsedTime(started) < atMost)
            {
                await Task.Delay(200);
            }
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }

    /// <summary>
    /// The baseline: a delivery is a row; each worker takes one with <c>FOR UPDATE SKIP LOCKED</c>, posts it, and deletes
    /// it in the same transaction (so a crash posts it again); an empty queue is polled every 50 ms.
    /// </summary>
    private sealed class QueueTableSender(NpgsqlDataSource data, Receiver receiver) : IDisposable
    {
        private readonly HttpClient _http = new();

        public void Dispose() => _http.Dispose();

        public async Task SetUpAsync()
        {
            await using var command = data.CreateCommand("CREATE TABLE bench_webhook_queue (id bigserial PRIMARY KEY, event_id text NOT NULL, url text NOT NULL, body text NOT NULL)");
            await command.ExecuteNonQueryAsync();
        }

        public async Task EnqueueAsync(Guid id, int endpoints, string body)
        {
            await using var command = data.CreateCommand("INSERT INTO bench_webhook_queue (event_id, url, body) SELECT $1, unnest($2::text[]), $3");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = PrefixedId.Event + id.ToString("N") });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. Enumerable.Range(0, endpoints).Select(i => receiver.Url($"queue-{i}"))] });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = body });
            await command.ExecuteNonQueryAsync();
        }

        public async Task WorkAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await using var connection = await data.OpenConnectionAsync(CancellationToken.None);
                await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
                await using var take = new NpgsqlCommand("DELETE FROM bench_webhook_queue WHERE id = (SELECT id FROM bench_webhook_queue ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING event_id, url, body", connection, transaction);
                string? eventId = null, url = null, body = null;
                await using (var reader = await take.ExecuteReaderAsync(CancellationToken.None))
                {
                    if (await reader.ReadAsync(CancellationToken.None))
                    {
                        (eventId, url, body) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                    }
                }

                if (eventId is null)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    await Task.Delay(50, CancellationToken.None);
                    continue;
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body!, Encoding.UTF8, "application/json") };
                request.Headers.Add("webhook-id", eventId);
                request.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                using var response = await _http.SendAsync(request, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
        }
    }
}
