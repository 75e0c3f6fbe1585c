using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Grains.Banking;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Requests;
using Payments.Grains.Interfaces.Wallets;
using Payments.TestSupport;
using Orleans.Runtime;
using Payments.Tests.Grains;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// The state a crash in the middle of paying leaves (the row 'paying', its settle reminder due, the transfer committed
/// or not) is finished by the reminder with exactly one transfer.
/// </summary>
public sealed class PaymentRequestSettleTests() : ApiTest("request-settle")
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Payments:Requests:SettleRetryInterval"] = "00:00:01",
    };

    // With 4,000 the payer cannot afford the resend after the first send committed: without a look at the stamp's
    // record first, the resend would be funded from the payer's bank (their default source) by a pull the ledger's
    // duplicate answer does not undo; it must not be sent at all.
    [Theory]
    [InlineData(true, 10_000)]
    [InlineData(false, 10_000)]
    [InlineData(true, 4_000)]
    public async Task A_payment_interrupted_after_paying_was_marked_is_settled_once_by_its_reminder(bool transferCommittedBeforeTheCrash, long deposit)
    {
        var suffix = (transferCommittedBeforeTheCrash ? "c" : "n") + deposit / 1_000;
        var (requesterId, requester) = await Api.SignUpAsync($"settle_a{suffix}");
        var (requesteeId, requestee) = await Api.SignUpAsync($"settle_b{suffix}", deposit: deposit);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, "/v1/funding_sources/bank/default", requestee)).Status);
        var id = (await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = requesteeId, amount = 2_500, note = "crash" })).Json["id"]!.GetValue<string>();

        string? committedTransfer = null;
        if (transferCommittedBeforeTheCrash)
        {
            // What the grain had sent before the silo died: the transfer, under the request's stamp.
            var stamp = new IdempotencyStamp(PaymentRequestIdempotency.Scope, id, id);
            var sent = await Silo.GrainFactory.GetGrain<IWalletGrain>(requesteeId)
                .Send(new TransferCommand(requesteeId, requesterId, 2_500, "USD", "crash", "friends"), stamp);
            Assert.Equal(201, sent.Response.Status);
            committedTransfer = System.Text.Json.Nodes.JsonNode.Parse(sent.Response.Body)!["transfer"]!["id"]!.GetValue<string>();
        }

        var dataSource = Silo.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var paying = dataSource.CreateCommand("UPDATE payment_requests SET status = 'paying', updated_at = now() WHERE id = $1"))
        {
            paying.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(id) });
            Assert.Equal(1, await paying.ExecuteNonQueryAsync());
        }

        // The settle reminder the grain registers before it sends (what survives the crash), due at once.
        await Silo.GrainFactory.GetGrain<IReminderSeederGrain>("seeder")
            .Register(GrainId.Create("payment-request", id), "settle-payment", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

        // Generous bound: a loaded machine.
        await Eventually.TrueAsync(
            async () => (await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=sent&status=paid", requester)).Json["data"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(60),
            "the settle reminder finished the payment");

        var paid = (await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=sent", requester)).Json["data"]![0]!;
        var transfers = (await Api.HistoryAsync(requestee)).Where(entry => entry["type"]!.GetValue<string>() == "transfer_out").ToList();
        var transfer = Assert.Single(transfers);
        Assert.Equal(transfer["id"]!.GetValue<string>(), paid["transferId"]!.GetValue<string>());
        if (committedTransfer is not null)
        {
            Assert.Equal(committedTransfer, transfer["id"]!.GetValue<string>());
        }

        Assert.Equal(deposit - 2_500, (await Api.WalletAsync(requestee))["balance"]!.GetValue<long>());
        Assert.DoesNotContain(Silo.Services.GetRequiredService<SimulatedBankGateway>().Pulled.Keys, key => key.Contains(id, StringComparison.Ordinal));
        var again = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "after-settle");
        Assert.Equal((HttpStatusCode.Conflict, "REQUEST_NOT_PENDING"), (again.Status, again.Code));
    }

    [Fact]
    public async Task A_payment_paying_for_longer_than_half_the_idempotency_retention_is_not_sent_again()
    {
        var (_, requester) = await Api.SignUpAsync("settle_old_a");
        var (requesteeId, requestee) = await Api.SignUpAsync("settle_old_b", deposit: 10_000);
        var id = (await Api.SendAsync(HttpMethod.Post, "/v1/requests", requester, new { from = requesteeId, amount = 2_500, note = "stale" })).Json["id"]!.GetValue<string>();

        // Paying since 13 hours (the retention is 24 h): the stamp's record could be gone, so a send could pay twice.
        await using (var paying = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "UPDATE payment_requests SET status = 'paying', updated_at = now() - interval '13 hours' WHERE id = $1"))
        {
            paying.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(id) });
            Assert.Equal(1, await paying.ExecuteNonQueryAsync());
        }

        var pay = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{id}/pay", requestee, null, "stale-pay");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE"), (pay.Status, pay.Code));
        Assert.Equal([id], (await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=sent&status=paying", requester)).Json["data"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(await Api.HistoryAsync(requestee), entry => entry["type"]!.GetValue<string>() == "transfer_out");
        Assert.Equal(10_000, (await Api.WalletAsync(requestee))["balance"]!.GetValue<long>());
    }
}
