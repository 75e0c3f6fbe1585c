using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The card wallet in real silo processes: a lost device finishes after a kill, and card numbers are nowhere at rest.</summary>
public sealed class CardWalletCrashTests
{
    [Fact]
    public async Task A_lost_device_interrupted_by_a_kill_finishes_suspending_its_cards_after_the_restart()
    {
        using var workspace = new SiloWorkspace("silo-lost-device-");
        var settings = new Dictionary<string, string?>
        {
            ["Payments__CardWallet__LostDeviceReminderPeriod"] = "00:00:02",
            // No timer retries in this test: only the reminder can finish the job after the kill.
            ["Payments__CardWallet__LostDeviceRetryInterval"] = "01:00:00",
            ["Payments__CardNetworks__Simulated__FaultsRefreshInterval"] = "00:00:00",
            ["Payments__CardNetworks__Resilience__BreakMinimumCalls"] = "1000",
        };
        var silo = workspace.StartSilo(settings);
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var api = ApiClient.For(silo.BaseAddress);
        var cards = new CardWalletClient(api);
        var (_, user) = await api.SignUpAsync("crash_lost");
        var phone = await cards.DeviceAsync(user);
        var (visa1, _) = await cards.CardAsync(user, phone, CardWalletClient.Visa);
        var (visa2, _) = await cards.CardAsync(user, phone, "4000056655665556");
        var (mastercard, _) = await cards.CardAsync(user, phone, CardWalletClient.Mastercard);

        await cards.SetFaultsAsync("visa", down: true);
        var report = await cards.ReportLostAsync(user, phone);
        Assert.True(report.Status == HttpStatusCode.OK, report.Body);
        Assert.Equal(2, report.Json["cardsPending"]!.AsArray().Count);
        await silo.KillAsync();
        await silo.DisposeAsync();

        await using var restarted = workspace.StartSilo(settings);
        await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var cards2 = new CardWalletClient(ApiClient.For(restarted.BaseAddress));
        Assert.Equal("active", await cards2.StatusAsync(user, visa1));
        await cards2.SetFaultsAsync("visa");

        // Nobody asks again: the device's reminder finishes the job.
        await Eventually.TrueAsync(
            async () => await cards2.StatusAsync(user, visa1) == "suspended" && await cards2.StatusAsync(user, visa2) == "suspended",
            TimeSpan.FromSeconds(60), "the reminder suspends the Visa cards after the restart");
        Assert.Equal("suspended", await cards2.StatusAsync(user, mastercard));
    }

    [Fact]
    public async Task A_card_number_and_its_CVC_are_in_no_table_and_no_log_line_after_provisioning_payments_and_failures()
    {
        const string Number = "4242424242424242";
        const string Declined = "4000000000000002";
        const string NeedsCode = "4000000000003220";
        var database = await TestPostgres.CreateDatabaseAsync("card-wallet-secrecy");
        using var workspace = new SiloWorkspace("silo-card-wallet-secrecy-");
        await using var silo = workspace.StartSilo(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = database,
            ["Serilog__MinimumLevel__Default"] = "Debug",
            ["Serilog__MinimumLevel__Override__Orleans"] = "Information",
        });
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var api = ApiClient.For(silo.BaseAddress);
        var cards = new CardWalletClient(api);
        var merchants = new MerchantClient(api);
        var (_, merchantId, key) = await merchants.MerchantAsync("secret_shop");
        var (_, user) = await api.SignUpAsync("secret_holder");
        var phone = await cards.DeviceAsync(user);

        var provisioned = await cards.ProvisionAsync(user, phone, Number, cvc: "471");
        Assert.Equal(HttpStatusCode.Created, provisioned.Status);
        var card = provisioned.Json["id"]!.GetValue<string>();
        var device = SimulatedDevice.For(provisioned.Json["tokenReference"]!.GetValue<string>());
        var (_, paid) = await cards.PayInAppAsync(key, merchantId, user, "secret_holder", card, device, 4_200);
        Assert.Equal(HttpStatusCode.Created, paid.Status);
        Assert.Equal(HttpStatusCode.Created, (await merchants.RefundAsync(key, paid.Json["id"]!.GetValue<string>(), 200)).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await cards.ProvisionAsync(user, phone, NeedsCode, cvc: "471")).Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await cards.ProvisionAsync(user, phone, Declined, cvc: "471")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cards.ProvisionAsync(user, phone, Number[..15] + "3", cvc: "471")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await cards.ProvisionAsync(user, phone, Number, cvc: "471")).Status);
        Assert.Equal(HttpStatusCode.OK, (await cards.SuspendAsync(user, card)).Status);

        var tables = await DatabaseScan.AssertNoRowHoldsAsync(database, Number, Declined, NeedsCode);
        Assert.Contains(tables, table => table.EndsWith("card_tokens", StringComparison.Ordinal));
        Assert.Contains(tables, table => table.StartsWith("card_network_simulator.", StringComparison.Ordinal));

        // The log is at Debug and names the cards; the CVC's digits could occur by chance, so it is looked for by its name.
        var log = silo.Output;
        Assert.Contains(card, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Number, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Declined, log, StringComparison.Ordinal);
        Assert.DoesNotContain(NeedsCode, log, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?i)cvc\\W{0,8}471", log);
    }
}
