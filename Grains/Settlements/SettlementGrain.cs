using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Payments.Grains.Banking;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Settlements;
using Payments.Grains.Ledger;
using Payments.Infrastructure.References;

namespace Payments.Grains.Settlements;

/// <summary>
/// Settles a merchant and pays it out. A run reads where the last settlement ended and the available balance, then
/// commits one ledger transaction: the net of the pending account's rows older than the cutoff to available, and the
/// whole available balance to the bank's account with a pending payout row. The transaction's idempotency key is the
/// available account's version, which every run changes: two activations running at once commit one run, and a run
/// after a crash starts from what committed. The bank call carries the payout id, so asking again after a crash pays
/// nothing more; a refusal for good returns the money to available in a ledger transaction keyed by the payout id.
/// This grain is the only writer of the merchant's available account, so the balance it reads is the one it moves.
/// </summary>
[GrainType("settlement")]
public sealed partial class SettlementGrain(
    SettlementStore store,
    LedgerWriter ledger,
    IBankGateway bank,
    IOptions<SettlementOptions> options,
    TimeProvider time,
    ILogger<SettlementGrain> logger) : Grain, ISettlementGrain, IRemindable
{
    private const string DailyReminder = "daily-settlement";
    private const string RetryReminder = "payout-retries";

    // A round stops calling the bank after this long and leaves the rest to the retry reminder, so a slow bank cannot
    // hold the grain's turn past the grain call timeout.
    private static readonly TimeSpan s_roundBudget = TimeSpan.FromSeconds(10);

    private string MerchantId => this.GetPrimaryKeyString();

    public Task Schedule() =>
        this.RegisterOrUpdateReminder(DailyReminder, options.Value.UntilNextRun(time.GetUtcNow()), TimeSpan.FromDays(1));

    public async Task<Outcome<SettlementRun>> RunNow()
    {
        var merchant = await GrainFactory.Reference<IMerchantGrain>(MerchantId).Describe();
        if (merchant.Value is not { } found)
        {
            return merchant.Error!;
        }

        await Schedule();
        var run = await SettleAsync(found.DefaultCurrency);
        await PayPendingAsync();
        if (run.Payout is { } payout)
        {
            // The answer shows the payout as the bank left it this round.
            var now = (await store.ListAsync(MerchantId, null, 1, null)).FirstOrDefault(listed => listed.Id == payout.Id);
            run = run with { Payout = now ?? payout };
        }

        return run;
    }

    public async Task<Outcome<MerchantPayoutPage>> Payouts(string? status, int limit, string? startingAfter)
    {
        if (PrefixedPage.Check(limit, status, MerchantPayoutStatus.All, startingAfter, PrefixedId.Payout, "payout") is { } invalid)
        {
            return invalid;
        }

        var (rows, hasMore) = PageRows.Trim(await store.ListAsync(MerchantId, status, limit, startingAfter), limit);
        return new MerchantPayoutPage(rows, hasMore);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (reminderName)
        {
            case DailyReminder:
                await RunNow();
                break;
            case RetryReminder:
                await PayPendingAsync();
                break;
        }
    }

    private async Task<SettlementRun> SettleAsync(string currency)
    {
        var now = DatabaseTime.Now(time);
        var cutoff = options.Value.CutoffAt(now);
        var window = await store.WindowAsync(MerchantId, currency, cutoff);
        if (window.Available < 0)
        {
            throw new LedgerInvariantException($"Merchant {MerchantId}'s available balance is {window.Available}; only settlements and returned payouts move it, and never below zero.");
        }

        // A negative net (refunds beyond captures) stays pending and is netted against the next captures.
        var settled = window.Net > 0 ? window.Net : 0;
        var paidOut = window.Available + settled;
        if (paidOut == 0)
        {
            return new SettlementRun(MerchantId, null, null);
        }

        var settlement = settled > 0 ? new SettlementView(PrefixedId.New(PrefixedId.Settlement), settled, currency, cutoff, now) : null;
        var payout = new MerchantPayoutView(PrefixedId.New(PrefixedId.Payout), paidOut, currency, MerchantPayoutStatus.Pending, settlement?.Id, now, null, null, null, null);
        var available = LedgerAccounts.MerchantAvailable(MerchantId, currency);
        var movements = new List<LedgerMovement>(2);
        if (settlement is not null)
        {
            movements.Add(new LedgerMovement(LedgerAccounts.MerchantPending(MerchantId, currency), available, settled, currency));
        }

        movements.Add(new LedgerMovement(available, LedgerAccounts.Bank(currency), paidOut, currency));
        var run = new SettlementRun(MerchantId, settlement, payout);
        var stamp = new IdempotencyStamp("settlement", $"{MerchantId}:{window.AvailableVersion}:{window.AfterSequence}", "run");
        var entry = new LedgerEntry(
            TransactionId.New(), LedgerEntryTypes.Settlement, now, movements, null, stamp,
            _ => new StoredResponse(200, JsonSerializer.Serialize(run, PaymentsJson.Options)), [],
            record: new SettlementRecord(MerchantId, window, settlement, payout));

        // Before the commit: whatever happens from here, the reminder comes back for a payout still pending.
        await this.RegisterOrUpdateReminder(RetryReminder, options.Value.PayoutRetryInterval, options.Value.PayoutRetryInterval);
        switch (await ledger.SubmitAsync(entry))
        {
            case LedgerResult.Committed:
                LogSettled(logger, MerchantId, settled, paidOut, currency, payout.Id);
                return run;
            case LedgerResult.Duplicate duplicate:
                // Another activation committed this very run (same version of the available account) first.
                return JsonSerializer.Deserialize<SettlementRun>(duplicate.Response.Body, PaymentsJson.Options)!;
            case LedgerResult.Rejected rejected:
                throw new LedgerInvariantException($"The ledger refused merchant {MerchantId}'s settlement: {rejected.Error.Code} {rejected.Error.Message}");
            default:
                throw new LedgerInvariantException("Unknown ledger result.");
        }
    }

    private async Task PayPendingAsync()
    {
        var pending = await store.PendingAsync(MerchantId);
        var started = Stopwatch.GetTimestamp();
        var unpaid = 0;
        foreach (var payout in pending)
        {
            if (Stopwatch.GetElapsedTime(started) > s_roundBudget)
            {
                unpaid++;
                break;
            }

            try
            {
                await bank.PayOutAsync(MerchantId, payout.Amount, payout.Currency, payout.Id, CancellationToken.None);
                if (await store.MarkPaidAsync(MerchantId, payout with { Status = MerchantPayoutStatus.Paid, PaidAt = DatabaseTime.Now(time) }))
                {
                    LogPaid(logger, payout.Id, MerchantId, payout.Amount);
                }
                else
                {
                    // The bank paid a payout another activation ended first; if it was returned, the merchant got it twice.
                    LogPaidButNotPending(logger, payout.Id, MerchantId, payout.Amount);
                }
            }
            catch (BankUnavailableException error)
            {
                unpaid++;
                await store.NoteAttemptAsync(payout.Id, error.Message);
                LogBankFailed(logger, payout.Id, MerchantId, payout.Amount, options.Value.PayoutRetryInterval);
            }
            catch (BankRejectedException refused)
            {
                await ReturnAsync(payout, refused);
            }
        }

        if (unpaid == 0 && pending.Count < SettlementStore.MaxPerRound)
        {
            await this.UnregisterReminderIfAnyAsync(RetryReminder);
        }
    }

    /// <summary>Moves a refused payout's money back to available, marks it failed and tells the merchant, in one transaction.</summary>
    private async Task ReturnAsync(MerchantPayoutView payout, BankRejectedException refused)
    {
        var now = DatabaseTime.Now(time);
        var failed = payout with { Status = MerchantPayoutStatus.Failed, FailedAt = now, FailureCode = refused.Code, FailureMessage = refused.Message };
        var entry = new LedgerEntry(
            TransactionId.New(), LedgerEntryTypes.PayoutReturn, now,
            [new LedgerMovement(LedgerAccounts.Bank(payout.Currency), LedgerAccounts.MerchantAvailable(MerchantId, payout.Currency), payout.Amount, payout.Currency)],
            null, new IdempotencyStamp("payout-return", payout.Id, "return"), _ => new StoredResponse(200, "{}"), [],
            record: new PayoutFailureRecord(MerchantId, failed));
        if (await ledger.SubmitAsync(entry) is LedgerResult.Rejected rejected)
        {
            throw new LedgerInvariantException($"The ledger refused the return of payout {payout.Id}: {rejected.Error.Code} {rejected.Error.Message}");
        }

        LogReturned(logger, payout.Id, MerchantId, payout.Amount, refused.Code);
    }

    [LoggerMessage(1, LogLevel.Information, "Settled merchant {MerchantId}: {Settled} to available, payout {PayoutId} of {PaidOut} {Currency}")]
    private static partial void LogSettled(ILogger logger, string merchantId, long settled, long paidOut, string currency, string payoutId);

    [LoggerMessage(2, LogLevel.Information, "Paid out {PayoutId} ({Amount}) to the bank of merchant {MerchantId}")]
    private static partial void LogPaid(ILogger logger, string payoutId, string merchantId, long amount);

    [LoggerMessage(3, LogLevel.Warning, "The bank did not take payout {PayoutId} ({Amount}) to merchant {MerchantId}; trying again in {RetryInterval}")]
    private static partial void LogBankFailed(ILogger logger, string payoutId, string merchantId, long amount, TimeSpan retryInterval);

    [LoggerMessage(5, LogLevel.Critical, "The bank confirmed payout {PayoutId} ({Amount}) to merchant {MerchantId}, which was no longer pending; reconcile it")]
    private static partial void LogPaidButNotPending(ILogger logger, string payoutId, string merchantId, long amount);

    [LoggerMessage(4, LogLevel.Warning, "The bank refused payout {PayoutId} ({Amount}) to merchant {MerchantId} ({Code}); the money is back in its available balance")]
    private static partial void LogReturned(ILogger logger, string payoutId, string merchantId, long amount, string code);
}
