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

/// <summary>What a funding source put into a send: the ledger account it came through, the source, and how much.</summary>
internal sealed record FundedShortfall(string Account, string Source, long Amount)
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
            // The ledger refused after the pull: the pulled money is outside the ledger and must be returned by hand.
            LogPulledWithoutTransfer(logger, _user.Key, source, shortfall, stamp.Key);
        }

        LogFunded(logger, _user.Key, shortfall, source);
        return outcome;
    }

    private async Task<(FundedShortfall? Funded, PaymentError? Error)> PullAsync(string source, long amount, string key)
    {
        if (source == FundingSources.Bank)
        {
            try
            {
                await bank.PullAsync(_user.Key, amount, s_currency, key, CancellationToken.None);
                return (new FundedShortfall(LedgerAccounts.Bank(s_currency), source, amount), null);
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
            { Value.Approved: true } => (new FundedShortfall(LedgerAccounts.CardClearing(s_currency), source, amount), null),
            _ => (null, new PaymentError(ErrorCodes.FundingDeclined, $"The card refused the part the balance does not cover ({pulled.Value!.DeclineCode}).", "amount")),
        };
    }

    [LoggerMessage(3, LogLevel.Information, "Send of {UserId} funded with {Amount} from {Source}")]
    private static partial void LogFunded(ILogger logger, string userId, long amount, string source);

    [LoggerMessage(4, LogLevel.Critical, "Send of {UserId} (key {Key}) pulled {Amount} from {Source} but the ledger refused the transfer; return the pull")]
    private static partial void LogPulledWithoutTransfer(ILogger logger, string userId, string source, long amount, string key);
}
