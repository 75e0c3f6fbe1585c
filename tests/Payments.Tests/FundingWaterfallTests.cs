using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Grains.Banking;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Wallets;
using Xunit;

namespace Payments.Tests;

/// <summary>Funding sources: a send larger than the balance pulls the shortfall from the default source, once.</summary>
public sealed class FundingWaterfallTests() : ApiTest("funding-waterfall")
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:CardNetworks:Simulated:FaultsRefreshInterval"] = "00:00:00",
        ["Payments:CardNetworks:Resilience:MaxRetries"] = "0",
        ["Payments:CardNetworks:Resilience:BreakMinimumCalls"] = "1000",
    };

    private CardWalletClient Cards => new(Api);

    [Fact]
    public async Task Without_a_default_source_a_send_beyond_the_balance_is_refused_and_with_the_bank_it_is_funded_once()
    {
        var (_, sender) = await Api.SignUpAsync("fw_sender", deposit: 1_000);
        var (_, recipient) = await Api.SignUpAsync("fw_recipient");
        var sources = (await Api.SendAsync(HttpMethod.Get, "/v1/funding_sources", sender)).Json["data"]!.AsArray();
        Assert.Equal(("bank", false), (sources.Single()!["id"]!.GetValue<string>(), sources.Single()!["isDefault"]!.GetValue<bool>()));
        Assert.Equal("INSUFFICIENT_FUNDS", (await Api.TransferAsync(sender, "fw_recipient", 2_500, "fw-refused")).Code);

        var chosen = await Api.SendAsync(HttpMethod.Post, "/v1/funding_sources/bank/default", sender);
        Assert.True(chosen.Json["data"]![0]!["isDefault"]!.GetValue<bool>(), chosen.Body);
        var sent = await Api.TransferAsync(sender, "fw_recipient", 2_500, "fw-funded");
        Assert.True(sent.Status == HttpStatusCode.Created, sent.Body);
        var funding = sent.Json["transfer"]!["funding"]!.AsArray();
        Assert.Equal([("balance", 1_000L), ("bank", 1_500L)], funding.Select(line => (line!["source"]!.GetValue<string>(), line["amount"]!.GetValue<long>())));
        Assert.Equal(0, sent.Json["balance"]!.GetValue<long>());
        Assert.Equal(sent.Body, (await Api.TransferAsync(sender, "fw_recipient", 2_500, "fw-funded")).Body);
        Assert.Equal(2_500, (await Api.WalletAsync(recipient))["balance"]!.GetValue<long>());
        Assert.Single(Silo.Services.GetRequiredService<SimulatedBankGateway>().Pulled, pull => pull.Key.EndsWith("/funding", StringComparison.Ordinal));

        // A send the balance covers takes nothing from the bank and says nothing of funding.
        await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", sender, new { amount = 500 }, "fw-top-up");
        var covered = await Api.TransferAsync(sender, "fw_recipient", 400, "fw-covered");
        Assert.Null(covered.Json["transfer"]!["funding"]);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Delete, "/v1/funding_sources/default", sender)).Status);
        Assert.Equal("INSUFFICIENT_FUNDS", (await Api.TransferAsync(sender, "fw_recipient", 5_000, "fw-cleared")).Code);
        Assert.True((await Api.AuditAsync(TestSupport.InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_pull_whose_send_the_ledger_refuses_is_credited_to_the_wallet_once()
    {
        var (senderId, sender) = await Api.SignUpAsync("fw_refused", deposit: 1_000);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, "/v1/funding_sources/bank/default", sender)).Status);
        var bank = Silo.Services.GetRequiredService<SimulatedBankGateway>();
        var wallet = Silo.GrainFactory.GetGrain<IWalletGrain>(senderId);
        var stamp = new IdempotencyStamp(senderId, "fw-refused", "hash");

        // A recipient without a wallet (the API resolves names first; a wallet's grain checks only the id's form): the
        // grain admits the send and pulls the shortfall, and the ledger refuses the send at the rows.
        var nobody = Guid.CreateVersion7().ToString("D");
        var refused = await wallet.Send(new TransferCommand(senderId, nobody, 2_500, "USD", "to nobody", "friends"), stamp);
        Assert.Equal((404, "RECIPIENT_NOT_FOUND"), (refused.Response.Status, JsonNode.Parse(refused.Response.Body)!["code"]!.GetValue<string>()));
        var pull = Assert.Single(bank.Pulled, pulled => pulled.Value.UserId == senderId && pulled.Key.EndsWith("/funding", StringComparison.Ordinal));
        Assert.Equal(1_500, pull.Value.Amount);

        // The pulled money is the sender's: in their wallet, not outside the ledger.
        Assert.Equal(2_500, (await Api.WalletAsync(sender))["balance"]!.GetValue<long>());

        // The same request for more finds the same pull at the bank (its key names the request) and no second credit.
        var again = await wallet.Send(new TransferCommand(senderId, nobody, 4_000, "USD", "to nobody", "friends"), stamp);
        Assert.Equal(404, again.Response.Status);
        Assert.Single(bank.Pulled, pulled => pulled.Value.UserId == senderId && pulled.Key.EndsWith("/funding", StringComparison.Ordinal));
        Assert.Equal(2_500, (await Api.WalletAsync(sender))["balance"]!.GetValue<long>());
        Assert.True((await Api.AuditAsync(TestSupport.InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_card_default_funds_a_send_and_concurrent_retries_pull_once_and_a_failed_pull_leaves_no_transfer()
    {
        var (_, sender) = await Api.SignUpAsync("fw_carder");
        var (_, recipient) = await Api.SignUpAsync("fw_payee");
        var phone = await Cards.DeviceAsync(sender);
        var (card, _) = await Cards.CardAsync(sender, phone, CardWalletClient.Visa);
        Assert.Equal("NOT_FOUND", (await Api.SendAsync(HttpMethod.Post, $"/v1/funding_sources/card_{new string('0', 32)}/default", sender)).Code);
        var chosen = await Api.SendAsync(HttpMethod.Post, $"/v1/funding_sources/{card}/default", sender);
        Assert.Contains(chosen.Json["data"]!.AsArray(), source => source!["id"]!.GetValue<string>() == card && source["isDefault"]!.GetValue<bool>());

        // The card's network is down: 503, and neither a pull nor a transfer.
        await Cards.SetFaultsAsync("visa", down: true);
        var failed = await Api.TransferAsync(sender, "fw_payee", 3_000, "fw-card");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "NETWORK_UNAVAILABLE"), (failed.Status, failed.Code));
        Assert.Equal(0, (await Api.WalletAsync(recipient))["balance"]!.GetValue<long>());
        Assert.Equal(0, await PullsAsync());

        // Back up: the same key retried twelve times at once pays once and pulls once.
        await Cards.SetFaultsAsync("visa");
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Api.TransferAsync(sender, "fw_payee", 3_000, "fw-card")));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.Status));
        Assert.Single(answers.Select(answer => answer.Body).Distinct());
        Assert.Equal([(card, 3_000L)], answers[0].Json["transfer"]!["funding"]!.AsArray().Select(line => (line!["source"]!.GetValue<string>(), line["amount"]!.GetValue<long>())));
        Assert.Equal(3_000, (await Api.WalletAsync(recipient))["balance"]!.GetValue<long>());
        Assert.Equal(1, await PullsAsync());

        // A suspended card funds nothing: the send is refused as before.
        Assert.Equal(HttpStatusCode.OK, (await Cards.SuspendAsync(sender, card)).Status);
        Assert.Equal("INSUFFICIENT_FUNDS", (await Api.TransferAsync(sender, "fw_payee", 100, "fw-suspended")).Code);
        Assert.True((await Api.AuditAsync(TestSupport.InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_payment_request_larger_than_the_balance_is_paid_with_the_default_source()
    {
        var (_, requester) = await Api.SignUpAsync("fw_asker");
        var (_, payer) = await Api.SignUpAsync("fw_giver", deposit: 200);
        await Api.SendAsync(HttpMethod.Post, "/v1/funding_sources/bank/default", payer);
        var request = await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = "fw_giver", amount = 1_200, note = "dinner" }, "fw-ask");
        Assert.True(request.Status == HttpStatusCode.Created, request.Body);
        var paid = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{request.Json["id"]!.GetValue<string>()}/pay", payer, null, "fw-pay");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        Assert.Equal(1_200, (await Api.WalletAsync(requester))["balance"]!.GetValue<long>());
        Assert.Equal(0, (await Api.WalletAsync(payer))["balance"]!.GetValue<long>());
    }

    private async Task<long> PullsAsync()
    {
        await using var command = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM card_network_simulator.answers WHERE idempotency_key LIKE '%/funding'");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
