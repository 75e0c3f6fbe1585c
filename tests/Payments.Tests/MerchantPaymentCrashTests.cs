using System.Collections.Concurrent;
using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Merchant payments in a real silo process: a SIGKILL in the middle of captures, and where card numbers go (nowhere).</summary>
public sealed class MerchantPaymentCrashTests
{
    [Fact]
    public async Task A_kill_in_the_middle_of_captures_loses_no_acknowledged_capture_and_their_retries_replay()
    {
        using var workspace = new SiloWorkspace("silo-capture-crash-");
        var silo = await workspace.StartReadySiloAsync();
        var merchants = new MerchantClient(ApiClient.For(silo.BaseAddress));
        var (_, _, key) = await merchants.MerchantAsync("mc_shop");
        var authorized = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            authorized.Add(await merchants.AuthorizeAsync(key, 1_000 + i));
        }

        // Captures from several workers until the kill; remember every acknowledged answer.
        var acknowledged = new ConcurrentDictionary<string, string>();
        var next = -1;
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < authorized.Count)
            {
                try
                {
                    var captured = await merchants.CaptureAsync(key, authorized[index], idempotencyKey: $"capture-{index}");
                    if (captured.Status == HttpStatusCode.Created)
                    {
                        acknowledged[authorized[index]] = captured.Body;
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    return; // The silo is gone.
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 30), TimeSpan.FromSeconds(60), "captures get going");
        await silo.KillAsync();
        await Task.WhenAll(load);
        await silo.DisposeAsync();

        await using var restarted = await workspace.StartReadySiloAsync();
        var merchants2 = new MerchantClient(ApiClient.For(restarted.BaseAddress));
        long expectedPending = 0;
        for (var index = 0; index < authorized.Count; index++)
        {
            var id = authorized[index];
            var retry = await ApiClient.RetryWhileUnavailableAsync(() => merchants2.CaptureAsync(key, id, idempotencyKey: $"capture-{index}"), 20, TimeSpan.FromSeconds(1));
            Assert.True(retry.Status == HttpStatusCode.Created, retry.Body);
            if (acknowledged.TryGetValue(id, out var first))
            {
                Assert.Equal(first, retry.Body);
            }

            var payment = await merchants2.GetAsync(key, id);
            Assert.Equal("succeeded", payment["status"]!.GetValue<string>());
            expectedPending += payment["amountCaptured"]!.GetValue<long>() - payment["fee"]!.GetValue<long>();
        }

        Assert.Equal((expectedPending, 0), await merchants2.BalanceAsync(key));
        await merchants2.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_card_number_is_in_no_table_and_no_log_line_after_payments_refunds_and_failures()
    {
        const string Number = "4242424242424242";
        const string DeclinedNumber = "4000000000009995";
        var database = await TestPostgres.CreateDatabaseAsync("merchant-card-secrecy");
        using var workspace = new SiloWorkspace("silo-card-secrecy-");
        await using var silo = workspace.StartSilo(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = database,
            ["Serilog__MinimumLevel__Default"] = "Debug",
            ["Serilog__MinimumLevel__Override__Orleans"] = "Information",
        });
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var merchants = new MerchantClient(ApiClient.For(silo.BaseAddress));
        var (_, _, key) = await merchants.MerchantAsync("ms_shop");

        var paid = await merchants.PayAsync(key, 5_000, "secret-1", method: MerchantClient.Card(Number, cvc: "4719"));
        Assert.Equal(HttpStatusCode.Created, paid.Status);
        Assert.Equal(HttpStatusCode.Created, (await merchants.RefundAsync(key, paid.Json["id"]!.GetValue<string>(), 1_000)).Status);
        var manual = await merchants.AuthorizeAsync(key, 700);
        Assert.Equal(HttpStatusCode.Created, (await merchants.CaptureAsync(key, manual)).Status);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await merchants.PayAsync(key, 5_000, "secret-2", method: MerchantClient.Card(DeclinedNumber))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await merchants.PayAsync(key, 5_000, "secret-3", method: MerchantClient.Card(Number[..15] + "3"))).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await merchants.PayAsync(key, 5_001, "secret-1", method: MerchantClient.Card(Number, cvc: "4719"))).Status);

        var tables = await DatabaseScan.AssertNoRowHoldsAsync(database, Number, DeclinedNumber);
        Assert.Contains(tables, table => table.EndsWith("merchant_payments", StringComparison.Ordinal));

        // The log is at Debug and names the payments; a CVC's digits could occur by chance, so it is looked for by its name.
        var log = silo.Output;
        Assert.Contains("pay_", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Number, log, StringComparison.Ordinal);
        Assert.DoesNotContain(DeclinedNumber, log, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)cvc\\W{0,8}4719", log);
    }
}
