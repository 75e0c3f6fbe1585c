using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Instant cash-out: a withdrawal pushed to a debit card of the wallet through its network, for a fee.</summary>
public sealed class InstantCashOutTests() : ApiTest("instant-cash-out")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:Payouts:RetryInterval"] = "00:00:01",
        ["Payments:CardNetworks:Simulated:FaultsRefreshInterval"] = "00:00:00",
        ["Payments:CardNetworks:Resilience:MaxRetries"] = "0",
        ["Payments:CardNetworks:Resilience:BreakMinimumCalls"] = "1000",
    };

    private CardWalletClient Cards => new(Api);

    [Fact]
    public async Task An_instant_cash_out_pays_the_debit_card_less_a_fee_within_its_floor_and_cap_and_the_fee_goes_to_the_platform()
    {
        var (_, user) = await Api.SignUpAsync("ic_user", deposit: 300_000);
        var phone = await Cards.DeviceAsync(user);
        var (debit, _) = await Cards.CardAsync(user, phone, "4000056655665556");
        var (credit, _) = await Cards.CardAsync(user, phone, CardWalletClient.Mastercard);

        var cases = new (long Amount, long Fee)[] { (5_000, 88), (1_000, 25), (200_000, 2_500) };
        var balance = 300_000L;
        foreach (var (amount, fee) in cases)
        {
            var cashed = await CashOutAsync(user, amount, "instant", debit);
            Assert.True(cashed.Status == HttpStatusCode.Created, cashed.Body);
            balance -= amount;
            Assert.Equal((fee, balance), (cashed.Json["fee"]!.GetValue<long>(), cashed.Json["balance"]!.GetValue<long>()));
        }

        Assert.Equal(2_613, await BalanceOfAsync("system:fees:USD"));
        await Eventually.TrueAsync(async () => await PendingPayoutsAsync() == 0, TimeSpan.FromSeconds(20), "the pushes to the card are paid");
        Assert.Equal(3, await CountAsync("card_network_simulator.answers WHERE answer->>'approved' = 'true' AND idempotency_key ~ '^[0-9a-f-]{36}$'"));

        // A standard withdrawal stays free; the card must be a debit card, the speed and the card must fit.
        var standard = await CashOutAsync(user, 1_000, null, null);
        Assert.True(standard.Status == HttpStatusCode.Created, standard.Body);
        Assert.Null(standard.Json["fee"]);
        Assert.Equal(("VALIDATION_ERROR", "card"), Refusal(await CashOutAsync(user, 5_000, "instant", credit)));
        Assert.Equal(("NOT_FOUND", "card"), Refusal(await CashOutAsync(user, 5_000, "instant", null)));
        Assert.Equal(("VALIDATION_ERROR", "card"), Refusal(await CashOutAsync(user, 5_000, null, debit)));
        Assert.Equal(("VALIDATION_ERROR", "speed"), Refusal(await CashOutAsync(user, 5_000, "warp", debit)));
        Assert.Equal(("INVALID_AMOUNT", "amount"), Refusal(await CashOutAsync(user, 20, "instant", debit)));
        Assert.Equal(("VALIDATION_ERROR", "speed"), Refusal(await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", user, new { amount = 100, speed = "instant" }, Guid.NewGuid().ToString())));
        Assert.Equal(("INSUFFICIENT_FUNDS", "amount"), Refusal(await CashOutAsync(user, 1_000_000, "instant", debit)));
        Assert.True((await Api.AuditAsync(InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_push_the_network_does_not_take_stays_owed_and_is_paid_once_the_network_is_back()
    {
        var (_, user) = await Api.SignUpAsync("ic_wait", deposit: 10_000);
        var phone = await Cards.DeviceAsync(user);
        var (debit, _) = await Cards.CardAsync(user, phone, "5200828282828210");
        await Cards.SetFaultsAsync("mastercard", down: true);
        var cashed = await CashOutAsync(user, 4_000, "instant", debit);
        Assert.True(cashed.Status == HttpStatusCode.Created, cashed.Body);
        Assert.Equal(6_000, cashed.Json["balance"]!.GetValue<long>());
        await Eventually.TrueAsync(async () => await CountAsync("payouts WHERE status = 'pending' AND attempts > 0 AND card_id IS NOT NULL") == 1, TimeSpan.FromSeconds(20), "the push failed and is owed");

        await Cards.SetFaultsAsync("mastercard");
        await Eventually.TrueAsync(async () => await PendingPayoutsAsync() == 0, TimeSpan.FromSeconds(20), "the push is paid once the network is back");
        Assert.Equal(1, await CountAsync("card_network_simulator.answers WHERE network = 'mastercard' AND idempotency_key ~ '^[0-9a-f-]{36}$'"));
        Assert.Equal(4_000 - 70, await PaidToCardAsync(debit));
    }

    private Task<ApiClient.Response> CashOutAsync(string token, long amount, string? speed, string? card) =>
        Api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", token, new { amount, speed, card }, Guid.NewGuid().ToString());

    private static (string?, string?) Refusal(ApiClient.Response response) => (response.Code, response.Json["field"]?.GetValue<string>());

    private async Task<long> PendingPayoutsAsync() =>
        (await Api.SendAsync(HttpMethod.Get, "/v1/admin/payouts/pending", InProcessSilo.AdminToken)).Json["count"]!.GetValue<long>();

    private async Task<long> BalanceOfAsync(string account)
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT balance FROM accounts WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = account });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> PaidToCardAsync(string card)
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT sum(amount)::bigint FROM payouts WHERE card_id = $1 AND status = 'paid'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = card });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string from)
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand($"SELECT count(*) FROM {from}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
