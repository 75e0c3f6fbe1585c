using System.Globalization;
using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>A silo process killed in the middle of settlements: after the restart every merchant is paid what it is owed, once.</summary>
public sealed class SettlementCrashTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_kill_while_the_bank_answers_payouts_pays_every_merchant_exactly_once_after_the_restart()
    {
        using var workspace = new SiloWorkspace("silo-settlement-crash-");
        var journal = Path.Combine(workspace.Directory, "bank-journal.tsv");
        var settings = new Dictionary<string, string?>
        {
            ["Payments__Settlement__Delay"] = "00:00:00",
            ["Payments__Settlement__CommitMargin"] = "00:00:01",
            ["Payments__Settlement__PayoutRetryInterval"] = "00:00:01",
            ["Payments__Bank__JournalPath"] = journal,
        };

        // The bank books each payout and then takes 1.5 s to answer (within the call timeout): the kill comes after it booked some.
        var silo = workspace.StartSilo(new Dictionary<string, string?>(settings) { ["Payments__Bank__PayoutAnswerDelay"] = "00:00:01.500" });
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var merchants = new MerchantClient(ApiClient.For(silo.BaseAddress));
        var owed = new Dictionary<string, long>();
        var keys = new Dictionary<string, string>();
        for (var i = 0; i < 4; i++)
        {
            var (_, merchantId, key) = await merchants.MerchantAsync($"crash_settle_{i}");
            keys[merchantId] = key;
            for (var payment = 0; payment < 3; payment++)
            {
                var paid = await merchants.PayAsync(key, 1_000 * (i + 1) + payment, Guid.NewGuid().ToString());
                Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
                owed[merchantId] = owed.GetValueOrDefault(merchantId) + paid.Json["amountCaptured"]!.GetValue<long>() - paid.Json["fee"]!.GetValue<long>();
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // Past the commit margin: every capture can settle.
        var runs = owed.Keys.Select(merchantId => Task.Run(async () =>
        {
            try
            {
                await merchants.Api.SendAsync(HttpMethod.Post, $"/v1/admin/merchants/{merchantId}/settlements", InProcessSilo.AdminToken);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // The silo is gone.
            }
        })).ToArray();
        await Eventually.TrueAsync(() => Task.FromResult(Booked(journal).Count >= 1), s_within, "the bank books a payout");
        await silo.KillAsync();
        await Task.WhenAll(runs);
        await silo.DisposeAsync();

        // After the restart the retry reminder asks the bank again for what is pending (same payout ids), and an
        // operator's run settles whatever had not committed before the kill.
        await using var restarted = workspace.StartSilo(settings);
        await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var api = ApiClient.For(restarted.BaseAddress);
        foreach (var merchantId in owed.Keys)
        {
            var run = await ApiClient.RetryWhileUnavailableAsync(
                () => api.SendAsync(HttpMethod.Post, $"/v1/admin/merchants/{merchantId}/settlements", InProcessSilo.AdminToken), 20, TimeSpan.FromSeconds(1));
            Assert.True(run.Status == HttpStatusCode.OK, run.Body);
        }

        await Eventually.TrueAsync(async () =>
        {
            foreach (var (merchantId, key) in keys)
            {
                var pending = await api.SendAsync(HttpMethod.Get, "/v1/payouts?status=pending", key);
                if (pending.Json["data"]!.AsArray().Count > 0)
                {
                    return false;
                }
            }

            return true;
        }, s_within, "every payout is confirmed by the bank");

        var booked = Booked(journal);
        Assert.Equal(booked.Count, booked.Select(line => line.Key).Distinct().Count()); // No payout id paid twice.
        foreach (var (merchantId, key) in keys)
        {
            Assert.Equal(owed[merchantId], booked.Where(line => line.Destination == merchantId).Sum(line => line.Amount));
            var paid = (await api.SendAsync(HttpMethod.Get, "/v1/payouts?status=paid", key)).Json["data"]!.AsArray();
            Assert.Equal(owed[merchantId], paid.Sum(payout => payout!["amount"]!.GetValue<long>()));
            Assert.Equal((0, 0), await new MerchantClient(api).BalanceAsync(key));
        }

        await new MerchantClient(api).AssertLedgerBalancedAsync();
    }

    private static List<(string Key, string Destination, long Amount)> Booked(string journal) =>
        File.Exists(journal)
            ? [.. File.ReadAllLines(journal).Select(line => line.Split('\t')).Where(fields => fields.Length == 4).Select(fields => (fields[0], fields[1], long.Parse(fields[2], CultureInfo.InvariantCulture)))]
            : [];
}
