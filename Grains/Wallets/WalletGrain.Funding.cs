using Microsoft.Extensions.Logging;
using Payments.Grains.Banking;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Funding;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Ledger;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.Grains.Wallets;

/// <summary>What a funding source put into a send: the ledger account it came through, the source, how much, and the pull's key.</summary>
internal sealed record FundedShortfall(string Account, string Source, long Amount, string PullKey)
{
    public IReadOnlyList<FundingLine> Lines(long total) =>
        total > Amount ? [new FundingLine(FundingSources.Balance, total - Amount), new FundingLine(Source, Amount)] : [new FundingLine(Source, Amount)];
}

/// <summary>
/// The funding waterfall: a send larger than the balance pulls the shortfall from the user's default funding source
/// (the bank, or a card through its network), then commits the pull's credit and the transfer as one ledger entry.
/// The pull is keyed by the request (key and hash), so a retry finds the first pull instead of making a second; a
/// pull that fails leaves no transfer. Without a default source the send is refused for insufficient funds, as before.
/// </summary>
public sealed partial class WalletGrain
{
    private async Task<IdempotentOutcome> SendFundedAsync(TransferCommand command, UserId recipient, IdempotencyStamp stamp, PaymentError insufficient)
    {
        var source = await GrainFactory.Reference<ICardholderGrain>(_user.Key).UsableDefaultFundingSource();
        if (source is null)
        {
            return Unrecorded(insufficient);
        }

        // One synchronous segment from reading the balance to admitting: the balance covers what it can, the source the rest.
        var shortfall = command.Amount - Math.Clamp(Available, 0, command.Amount);
        if (TryAdmit(command.Amount, isSend: true, funded: shortfall) is { } refused)
        {
            return Unrecorded(refused);
        }

        (FundedShortfall? Funded, PaymentError? Error) pull;
        try
        {
            pull = await PullAsync(source, shortfall, $"{stamp.Scope}/{stamp.Key}/{stamp.RequestHash}/funding");
        }
        catch
        {
            ReleaseDebit(command.Amount, isSend: true, shortfall);
            throw;
        }

        if (pull.Error is { } failed)
        {
            ReleaseDebit(command.Amount, isSend: true, shortfall);
            return Unrecorded(failed);
        }

        var outcome = await CommitDebitAsync(TransferEntry(command, recipient, stamp, pull.Funded), command.Amount, isSend: true, stamp, shortfall);
        if (outcome.RecordedHash is null && outcome.Response.Status != 503)
        {
            // The ledger refused the send after the pull (the row saw a freeze or a limit this activation's copy had not).
            await KeepPulledAsync(pull.Funded!);
        }
        else
        {
            LogFunded(logger, _user.Key, shortfall, source);
        }

        return outcome;
    }

    /// <summary>
    /// The money of a pull whose send the ledger refused is the payer's: it lands in their wallet, as a deposit, instead of
    /// staying outside the ledger. Once per pull (<see cref="FundingPullRecord"/>): a repeat of the refused send finds the
    /// same pull at its source, and its return is refused as the pull's second credit.
    /// </summary>
    private async Task KeepPulledAsync(FundedShortfall funded)
    {
        var id = TransactionId.New();
        var entry = new LedgerEntry(
            id, LedgerEntryTypes.Deposit, Now(), [new LedgerMovement(funded.Account, _account, funded.Amount, s_currency)], null, null, null, [],
            record: new FundingPullRecord(funded.PullKey, _account, funded.Amount, id.Value))
        {
            AnsweredWallet = _user.Key,
        };
        switch (await SubmitAsync(entry))
        {
            case LedgerResult.Committed committed:
                ObserveCommitted(committed);
                LogPullKept(logger, _user.Key, funded.Amount, funded.Source);
                break;
            case LedgerResult.Rejected { Error.Code: ErrorCodes.IdempotencyKeyReused }:
                break; // Credited before, by the first attempt of this send.
            default:
                LogPulledWithoutTransfer(logger, _user.Key, funded.Source, funded.Amount, funded.PullKey);
                await ResyncAsync();
                break;
        }
    }

    private async Task<(FundedShortfall? Funded, PaymentError? Error)> PullAsync(string source, long amount, string key)
    {
        if (source == FundingSources.Bank)
        {
            try
            {
                await bank.PullAsync(_user.Key, amount, s_currency, key, CancellationToken.None);
                return (new FundedShortfall(LedgerAccounts.Bank(s_currency), source, amount, key), null);
            }
            catch (BankUnavailableException)
            {
                return (null, new PaymentError(ErrorCodes.ServiceUnavailable, "The bank did not answer for the part the balance does not cover; retry with the same Idempotency-Key."));
            }
            catch (BankRejectedException rejected)
            {
                return (null, new PaymentError(ErrorCodes.FundingDeclined, $"The bank refused the part the balance does not cover ({rejected.Code}).", "amount"));
            }
        }

        var pulled = await GrainFactory.Reference<ICardTokenGrain>(source).Pull(_user.Key, amount, s_currency, key);
        return pulled switch
        {
            { Error: { } error } => (null, error),
            { Value.Approved: true } => (new FundedShortfall(LedgerAccounts.CardClearing(s_currency), source, amount, key), null),
            _ => (null, new PaymentError(ErrorCodes.FundingDeclined, $"The card refused the part the balance does not cover ({pulled.Value!.DeclineCode}).", "amount")),
        };
    }

    [LoggerMessage(3, LogLevel.Information, "Send of {UserId} funded with {Amount} from {Source}")]
    private static partial void LogFunded(ILogger logger, string userId, long amount, string source);

    [LoggerMessage(4, LogLevel.Critical, "Send of {UserId} (pull {Key}) pulled {Amount} from {Source}; the ledger refused the transfer and could not credit the pull to the wallet: return the pull")]
    private static partial void LogPulledWithoutTransfer(ILogger logger, string userId, string source, long amount, string key);

    [LoggerMessage(5, LogLevel.Warning, "Send of {UserId} refused by the ledger after pulling {Amount} from {Source}; the pull was credited to the wallet")]
    private static partial void LogPullKept(ILogger logger, string userId, long amount, string source);
}
