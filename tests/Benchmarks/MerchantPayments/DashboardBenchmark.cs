using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Benchmarks.MerchantPayments;

/// <summary>
/// The merchant dashboard's reads on one merchant with <c>payments</c> payments over 120 days: listing pages (first,
/// deep by <c>startingAfter</c>, by status, by a day's window, by customer) and a 90-day daily summary, each a
/// sequence of real HTTP requests with an API key, timed end to end. Baselines in the same run, straight SQL without
/// HTTP: the deep page by OFFSET, and the summary by aggregating the payments' rows instead of the stream's buckets.
/// </summary>
internal static class DashboardBenchmark
{
    private const int Days = 120;
    private const int WarmUpRequests = 20;

    public static async Task RunAsync(BenchmarkReport report, int payments, int requests)
    {
        await using var postgres = await BenchmarkPostgres.StartAsync();
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var (owner, merchantId) = await BenchmarkMerchant.CreateAsync(app, "Busy merchant");
        var key = (await grains.GetGrain<IMerchantGrain>(merchantId).CreateApiKey(owner)).Value ?? throw new InvalidOperationException("No API key.");
        var seeding = Stopwatch.StartNew();
        await DashboardSeed.SeedAsync(dataSource, merchantId, payments, Days);
        Console.WriteLine($"Seeded {payments:N0} payments over {Days} days in {seeding.Elapsed.TotalSeconds:0} s");

        var ids = await SampleIdsAsync(dataSource, merchantId);
        var customers = Enumerable.Range(0, 200).Select(i => $"cust_{i * 20 * 7 % 50000}").ToArray();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        var now = DateTimeOffset.UtcNow;
        var reads = new (string Name, Func<int, string> Path)[]
        {
            ("list: first page", _ => "/v1/payments?limit=20"),
            ("list: deep page (startingAfter)", i => $"/v1/payments?limit=20&startingAfter={ids[i % ids.Length]}"),
            ("list: status=failed", _ => "/v1/payments?limit=20&status=failed"),
            ("list: one day's window", i => $"/v1/payments?limit=20&created[gte]={Iso(now.AddDays(-1 - i % 100))}&created[lt]={Iso(now.AddDays(-i % 100))}"),
            ("list: customerReference", i => $"/v1/payments?limit=20&customerReference={customers[i % customers.Length]}"),
            ("summary: 90 days by day", _ => $"/v1/analytics/summary?interval=day&from={Iso(now.AddDays(-90))}&to={Iso(now)}"),
            ("summary: 90 days by week, Europe/Paris", _ => $"/v1/analytics/summary?interval=week&timezone=Europe/Paris&from={Iso(now.AddDays(-90))}&to={Iso(now)}"),
        };
        foreach (var (name, path) in reads)
        {
            report.Add(Row(name, "http (read models)", payments, await TimeAsync(requests, async i =>
            {
                using var response = await http.GetAsync(new Uri(path(i), UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode || JsonNode.Parse(body) is null)
                {
                    throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {body}");
                }
            })));
        }

        report.Add(Row("list: deep page (startingAfter)", "baseline: OFFSET, SQL", payments, await TimeAsync(requests, i => QueryAsync(dataSource,
            "SELECT view FROM merchant_payments WHERE merchant_id = $1 ORDER BY id DESC LIMIT 20 OFFSET $2", merchantId, i * 997 % payments))));
        report.Add(Row("summary: 90 days by day", "baseline: payment rows, SQL", payments, await TimeAsync(requests, _ => QueryAsync(dataSource,
            """
            SELECT date_trunc('day', created_at AT TIME ZONE 'UTC'), currency, count(*), count(*) FILTER (WHERE status = 'succeeded'),
                   count(*) FILTER (WHERE status = 'failed'), sum(amount) FILTER (WHERE status = 'succeeded')
            FROM merchant_payments WHERE merchant_id = $1 AND created_at >= now() - interval '90 days' GROUP BY 1, 2 ORDER BY 1, 2
            """, merchantId))));
        await app.StopAsync();
    }

    private static async Task<LatencyRecorder> TimeAsync(int requests, Func<int, Task> read)
    {
        for (var i = 0; i < WarmUpRequests; i++)
        {
            await read(i);
        }

        var latencies = new LatencyRecorder();
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await read(WarmUpRequests + i);
            latencies.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }

    private static JsonObject Row(string read, string path, int payments, LatencyRecorder latencies)
    {
        var (p50, p95, p99) = LatencyRecorder.Percentiles([latencies]);
        return new JsonObject
        {
            ["read"] = read, ["path"] = path, ["payments"] = payments, ["requests"] = latencies.Count,
            ["p50Ms"] = p50, ["p95Ms"] = p95, ["p99Ms"] = p99,
        };
    }

    private static async Task QueryAsync(NpgsqlDataSource dataSource, string sql, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }

    /// <summary>Ids spread over the whole history, to start deep pages from.</summary>
    private static async Task<string[]> SampleIdsAsync(NpgsqlDataSource dataSource, string merchantId)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM merchant_payments TABLESAMPLE SYSTEM (1) WHERE merchant_id = $1 LIMIT 1000");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return [.. ids.OrderBy(id => id.GetHashCode(StringComparison.Ordinal))];
    }

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
