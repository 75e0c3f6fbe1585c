using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Wallets;
using Payments.Grains.Ledger;
using Payments.Grains.Payouts;
using Payments.Infrastructure.Streams;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.Grains.Wallets;

/// <summary>
/// Instant cash-out: a withdrawal pushed to a debit card of the user's card wallet, for a fee. Like a withdrawal to
/// the bank, the ledger takes the money first, together with the payout row and its event (amount less the fee to
/// card clearing, the fee to <c>system:fees</c>), and the payout grain then pushes it to the card through its network,
/// keyed by the transaction id, retrying until the network takes it.
/// </summary>
public sealed partial class WalletGrain
{
    private async Task<IdempotentOutcome> CashOutToCardAsync(long amount, string cardId, IdempotencyStamp stamp)
    {
        var card = await GrainFactory.Reference<ICardTokenGrain>(cardId).Payable(_user.Key);
        if (card.Error is { } unusable)
        {
            return Unrecorded(unusable);
        }

        if (card.Value!.Kind != "debit")
        {
            return Unrecorded(PaymentError.Validation("card", "Instant cash-out goes to a debit card; this card is a credit card."));
        }

        var fee = options.Value.InstantCashOutFee(amount);
        if (fee >= amount)
        {
            return Unrecorded(new PaymentError(ErrorCodes.InvalidAmount, $"An instant cash-out of {amount} would cost {fee}; cash out more, or to the bank for free.", "amount"));
        }

        if (await AdmitDebitAsync(amount, isSend: false) is { } refused)
        {
            return Unrecorded(refused);
        }

        var now = Now();
        var id = TransactionId.New();
        var account = _account;
        var payout = new PayoutRequest(id.ToString(), _user.Key, amount - fee, s_currency, now, cardId);
        LedgerMovement[] movements = fee > 0
            ? [new LedgerMovement(account, LedgerAccounts.CardClearing(s_currency), amount - fee, s_currency), new LedgerMovement(account, LedgerAccounts.Fees(s_currency), fee, s_currency)]
            : [new LedgerMovement(account, LedgerAccounts.CardClearing(s_currency), amount, s_currency)];
        var entry = new LedgerEntry(
            id, LedgerEntryTypes.Withdrawal, now, movements, null, stamp,
            balances => PaymentsJson.Created(new MovementReceipt(id.ToString(), balances.BalanceAfter(account), fee)),
            [OutboxMessage.Create(PayoutStream.Namespace, _user.Key, PayoutStream.PayoutRequested, JsonSerializer.Serialize(payout, PaymentsJson.Options))],
            payout)
        {
            AnsweredWallet = _user.Key,
        };
        return await CommitDebitAsync(entry, amount, isSend: false, stamp);
    }
}
