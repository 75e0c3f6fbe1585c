using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Banking;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Orleans;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.References;

namespace Payments.Grains.Payouts;

/// <summary>
/// Pays out a user's withdrawals. The ledger moved the money to the bank's system account when the withdrawal
/// committed, together with its <c>payouts</c> row and the PayoutRequested event, so the debt is durable and listed
/// before anyone is told it exists. Here each event leads to a bank call keyed by the ledger transaction id: a redelivered event,
/// a retry after a crash or a second activation repeat the call, never the payment. While the bank fails, a reminder
/// sends the user's unpaid payouts again every <see cref="PayoutOptions.RetryInterval"/> and removes itself once
/// none is left; the rows show operators what is owed, how often it was tried and the last error.
/// </summary>
[PreferLocalPlacement]
[ImplicitStreamSubscription(PayoutStream.Namespace)]
[GrainType("payout")]
public sealed partial class PayoutGrain(PayoutStore store, IBankGateway bank, IOptions<PayoutOptions> options, ILogger<PayoutGrain> logger)
    : StreamConsumerGrain, IPayoutGrain, IRemindable
{
    private const string RetryReminder = "retry-payouts";

    // A round stops calling the bank after this long and leaves the rest to the reminder, so a slow bank cannot hold
    // the grain's turn (and the stream delivery waiting on it) past the grain call timeout.
    private static readonly TimeSpan s_roundBudget = TimeSpan.FromSeconds(10);

    protected override async Task ReceiveStreamEvents(StreamId stream, IReadOnlyList<StreamEvent> events)
    {
        var requests = events.Where(item => item.Type == PayoutStream.PayoutRequested)
            .Select(item => item.Payload.Deserialize<PayoutRequest>(PaymentsJson.Options)!)
            .ToArray();
        if (requests.Length == 0)
        {
            return;
        }

        // The payout rows committed with their withdrawals; recording them again changes nothing, except for events
        // committed by builds that wrote the row here (an upgrade with events still undelivered).
        await store.RecordAsync(requests);

        // The reminder before any bank call: whatever happens to this call from here (a database error, a crash, the
        // stream giving up on it), the reminder comes back for what is still pending.
        await this.RegisterOrUpdateReminder(RetryReminder, options.Value.RetryInterval, options.Value.RetryInterval);
        await PayPendingAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == RetryReminder ? PayPendingAsync() : Task.CompletedTask;

    private async Task PayPendingAsync()
    {
        var pending = await store.PendingAsync(this.GetPrimaryKeyString());
        var started = Stopwatch.GetTimestamp();
        var unpaid = 0;
        foreach (var payout in pending)
        {
            if (Stopwatch.GetElapsedTime(started) > s_roundBudget)
            {
                unpaid++;
                break;
            }

            if (await PayAsync(payout) is { } failure)
            {
                unpaid++;
                await store.MarkFailedAsync(payout.TransactionId, failure);
                LogFailed(logger, payout.TransactionId, payout.UserId, payout.Amount, failure, options.Value.RetryInterval);
            }
            else
            {
                await store.MarkPaidAsync(payout.TransactionId);
                LogPaid(logger, payout.TransactionId, payout.UserId, payout.Amount);
            }
        }

        // The reminder was registered when the payouts were recorded; it stays while anything may still be owed.
        if (unpaid == 0 && pending.Count < PayoutStore.MaxPerRound)
        {
            await this.UnregisterReminderIfAnyAsync(RetryReminder);
        }
    }

    /// <summary>
    /// Pays one payout: to the bank, or pushed to the debit card of an instant cash-out. Null when paid, else why not.
    /// A card that refuses for good (suspended, removed) keeps its payout pending, retried and listed for operators.
    /// </summary>
    private async Task<string?> PayAsync(PayoutRequest payout)
    {
        if (payout.CardId is { } card)
        {
            var pushed = await GrainFactory.Reference<ICardTokenGrain>(card).Push(payout.UserId, payout.Amount, payout.Currency, payout.TransactionId);
            return pushed.Error?.Message ?? (pushed.Value!.Approved ? null : $"The card's network declined the push ({pushed.Value.DeclineCode}).");
        }

        try
        {
            await bank.PayOutAsync(payout.UserId, payout.Amount, payout.Currency, payout.TransactionId, CancellationToken.None);
            return null;
        }
        catch (BankUnavailableException error)
        {
            return error.Message;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Paid out {TransactionId} ({Amount}) to the bank of {UserId}")]
    private static partial void LogPaid(ILogger logger, string transactionId, string userId, long amount);

    [LoggerMessage(2, LogLevel.Warning, "Payout {TransactionId} ({Amount}) to {UserId} was not taken ({Failure}); trying again in {RetryInterval}")]
    private static partial void LogFailed(ILogger logger, string transactionId, string userId, long amount, string failure, TimeSpan retryInterval);
}
