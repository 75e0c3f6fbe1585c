using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Payments.Grains.Acquiring;
using Payments.Grains.Banking;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// A repeat of a request whose key's first activation has answered and left is answered from the stored record, and
/// never asks the bank or the acquirer again: not when the balance it would find has changed, not when the key is
/// reused with another body.
/// </summary>
public sealed class IdempotentRepeatTests() : ApiTest("idempotent-repeat")
{
    [Fact]
    public async Task A_send_covered_by_the_balance_and_repeated_after_its_key_left_pulls_nothing_from_the_bank()
    {
        var (_, sender) = await Api.SignUpAsync("ir_sender", deposit: 1_000);
        var (_, recipient) = await Api.SignUpAsync("ir_recipient");
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, "/v1/funding_sources/bank/default", sender)).Status);
        var bank = Silo.Services.GetRequiredService<SimulatedBankGateway>();
        var pullsBefore = bank.Pulled.Count;

        var first = await Api.TransferAsync(sender, "ir_recipient", 1_000, "ir-send");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        await KeysLeaveAsync();

        // The balance is spent now: run again, the send would be funded from the bank.
        var repeat = await Api.TransferAsync(sender, "ir_recipient", 1_000, "ir-send");
        Assert.Equal((first.Status, first.Body), (repeat.Status, repeat.Body));
        Assert.Equal(pullsBefore, bank.Pulled.Count);
        Assert.Equal(0, (await Api.WalletAsync(sender))["balance"]!.GetValue<long>());
        Assert.Equal(1_000, (await Api.WalletAsync(recipient))["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_deposit_key_reused_with_another_amount_is_refused_without_pulling_from_the_bank()
    {
        var (_, user) = await Api.SignUpAsync("ir_depositor");
        var bank = Silo.Services.GetRequiredService<SimulatedBankGateway>();
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", user, new { amount = 500 }, "ir-deposit")).Status);
        var pullsBefore = bank.Pulled.Count;
        await KeysLeaveAsync();

        var reused = await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", user, new { amount = 9_000 }, "ir-deposit");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED"), (reused.Status, reused.Code));
        Assert.Equal(pullsBefore, bank.Pulled.Count);
        Assert.Equal(500, (await Api.WalletAsync(user))["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_card_payment_key_reused_with_another_amount_is_refused_without_a_second_authorization()
    {
        var merchants = new MerchantClient(Api);
        var (_, _, key) = await merchants.MerchantAsync("ir_shop");
        var acquirer = Silo.Services.GetRequiredService<SimulatedCardAcquirer>();
        Assert.Equal(HttpStatusCode.Created, (await merchants.PayAsync(key, 2_000, "ir-pay", "manual")).Status);
        var approvals = acquirer.Approvals;
        await KeysLeaveAsync();

        var reused = await merchants.PayAsync(key, 7_000, "ir-pay", "manual");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED"), (reused.Status, reused.Code));
        Assert.Equal(approvals, acquirer.Approvals);
        await merchants.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_deposit_repeated_after_its_record_expired_is_refused_not_credited_again_for_the_same_pull()
    {
        var (userId, user) = await Api.SignUpAsync("ir_late");
        var bank = Silo.Services.GetRequiredService<SimulatedBankGateway>();
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", user, new { amount = 500 }, "ir-late")).Status);
        var pulls = bank.Pulled.Count;

        // Its record expires (the janitor deletes it after a day); the bank remembers the pull's key longer and answers
        // the repeat without moving money.
        await using (var expire = Silo.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("DELETE FROM idempotency_records WHERE scope = $1 AND key = 'ir-late'"))
        {
            expire.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userId });
            Assert.Equal(1, await expire.ExecuteNonQueryAsync());
        }

        await KeysLeaveAsync();
        var repeat = await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", user, new { amount = 500 }, "ir-late");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED"), (repeat.Status, repeat.Code));
        Assert.Equal(pulls, bank.Pulled.Count);
        Assert.Equal(500, (await Api.WalletAsync(user))["balance"]!.GetValue<long>());
    }

    /// <summary>
    /// Collects every idle activation, the key's among them (it deactivates once idle after a commit anyway): the repeat
    /// then activates a new one, which knows nothing of the first request but what the database holds.
    /// </summary>
    private Task KeysLeaveAsync() => Silo.GrainFactory.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
}
