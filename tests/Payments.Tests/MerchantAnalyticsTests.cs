using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Analytics summaries from the hourly buckets the payment stream keeps: the counts, time zones, and a redelivered stream counted once.</summary>
public sealed class MerchantAnalyticsTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(60);

    private static async Task<JsonNode?> TodayAsync(ApiClient api, string key, string query = "")
    {
        var summary = await api.SendAsync(HttpMethod.Get, $"/v1/analytics/summary?interval=day&timezone=UTC{query}", key);
        Assert.True(summary.Status == HttpStatusCode.OK, summary.Body);
        var data = summary.Json["data"]!.AsArray();
        return data.Count == 0 ? null : data[^1];
    }

    [Fact]
    public async Task A_summary_counts_attempts_captures_declines_and_refunds_once_even_when_the_stream_is_delivered_again()
    {
        var database = await TestPostgres.CreateDatabaseAsync("merchant-analytics");
        string key;
        await using (var first = await InProcessSilo.StartAsync(database))
        {
            using var http = first.CreateClient();
            var api = new ApiClient(http);
            var merchants = new MerchantClient(api);
            (_, _, key) = await merchants.MerchantAsync("an_shop");
            var ids = new List<string>();
            foreach (var amount in new[] { 1_000L, 2_000, 3_000 })
            {
                ids.Add((await merchants.PayAsync(key, amount, $"an-{amount}")).Json["id"]!.GetValue<string>());
            }

            Assert.Equal(HttpStatusCode.PaymentRequired, (await merchants.PayAsync(key, 700, "an-declined", method: MerchantClient.Card("4000000000000002"))).Status);
            await merchants.AuthorizeAsync(key, 900);
            Assert.Equal(HttpStatusCode.Created, (await merchants.RefundAsync(key, ids[1], 500)).Status);

            await Eventually.TrueAsync(async () => (await TodayAsync(api, key))?["refunds"]?.GetValue<long>() == 1, s_within, "the stream reaches the buckets");
            var today = (await TodayAsync(api, key))!;
            Assert.Equal(
                (5L, 3L, 1L, 1L, 6_000L, 500L, 2_000L),
                (today["payments"]!.GetValue<long>(), today["succeeded"]!.GetValue<long>(), today["declined"]!.GetValue<long>(), today["refunds"]!.GetValue<long>(),
                 today["volume"]!.GetValue<long>(), today["refundedAmount"]!.GetValue<long>(), today["averageTicket"]!.GetValue<long>()));
            Assert.Equal(0.3333, today["refundRate"]!.GetValue<double>());
            Assert.Equal(0.2, today["declineRate"]!.GetValue<double>());
            Assert.Equal("USD", today["currency"]!.GetValue<string>());
        }

        // As if the silo had died before checkpointing: the next one delivers every event again.
        await using (var dataSource = NpgsqlDataSource.Create(database))
        await using (var reset = dataSource.CreateCommand("DELETE FROM stream_checkpoints"))
        {
            await reset.ExecuteNonQueryAsync();
        }

        await using var second = await InProcessSilo.StartAsync(database);
        using var http2 = second.CreateClient();
        var api2 = new ApiClient(http2);
        var merchants2 = new MerchantClient(api2);
        Assert.Equal(HttpStatusCode.Created, (await merchants2.PayAsync(key, 4_000, "an-marker")).Status);

        // The marker comes after the others in the merchant's stream: once it is counted, the redelivered ones were handled.
        await Eventually.TrueAsync(async () => (await TodayAsync(api2, key))?["payments"]?.GetValue<long>() >= 6, s_within, "the marker is counted");
        var after = (await TodayAsync(api2, key))!;
        Assert.Equal((6L, 4L, 1L, 1L, 10_000L), (after["payments"]!.GetValue<long>(), after["succeeded"]!.GetValue<long>(), after["declined"]!.GetValue<long>(), after["refunds"]!.GetValue<long>(), after["volume"]!.GetValue<long>()));

        // Grouped by month in Tokyo: one interval, starting at midnight of the 1st there.
        var monthly = await api2.SendAsync(HttpMethod.Get, "/v1/analytics/summary?interval=month&timezone=Asia/Tokyo", key);
        var start = monthly.Json["data"]![0]!["start"]!.GetValue<DateTimeOffset>();
        var tokyo = TimeZoneInfo.ConvertTime(start, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        Assert.Equal((1, 0, 0), (tokyo.Day, tokyo.Hour, tokyo.Minute));
        Assert.Equal(6, monthly.Json["data"]![0]!["payments"]!.GetValue<long>());

        foreach (var (query, field) in new[]
        {
            ("timezone=Mars/Olympus", "timezone"),
            ("timezone=Pacific%20Standard%20Time", "timezone"),
            ("interval=year", "interval"),
            ("from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from"),
            ("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
            ("from=yesterday", "from"),
        })
        {
            var refused = await api2.SendAsync(HttpMethod.Get, $"/v1/analytics/summary?{query}", key);
            Assert.True(refused.Status == HttpStatusCode.BadRequest && refused.Json["field"]!.GetValue<string>() == field, $"{query}: {refused.Body}");
        }
    }
}
