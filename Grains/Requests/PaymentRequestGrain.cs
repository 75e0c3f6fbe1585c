using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Money;
using Payments.Grains.Interfaces.Requests;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Wallets;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Ledger;
using Payments.Grains.SocialNotifications;
using Orleans;
using Payments.Infrastructure.Streams;
using Payments.Infrastructure.References;

namespace Payments.Grains.Requests;

/// <summary>
/// One payment request. Paying marks the row paying, sends through the requestee's wallet with an idempotency stamp
/// derived from the request id (scope <see cref="PaymentRequestIdempotency.Scope"/>, key = request id), then marks it
/// paid with the transfer's id. The stamp's record is unique in the database, so however many times and from however
/// many activations the request is paid, the ledger commits one transfer and every later send gets that transfer back.
/// </summary>
[GrainType("payment-request")]
public sealed partial class PaymentRequestGrain(
    PaymentRequestStore store,
    IdempotencyRecordStore records,
    IOptions<PaymentRequestOptions> options,
    IOptions<LedgerWriterOptions> ledgerOptions,
    TimeProvider time,
    ILogger<PaymentRequestGrain> logger) : Grain, IPaymentRequestGrain, IRemindable
{
    private const string ExpiryReminder = "expire";
    private const string SettleReminder = "settle-payment";

    // A request's payment names no visibility: the payer's wallet applies the payer's default (initially friends).
    private const string? PaymentVisibility = null;

    private static readonly string[] s_pending = [PaymentRequestStatus.Pending];
    private static readonly string[] s_paying = [PaymentRequestStatus.Paying];

    private Guid Id => Guid.Parse(this.GetPrimaryKeyString());

    public async Task<IdempotentOutcome> Create(CreatePaymentRequestCommand command, IdempotencyStamp? stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Validate(command) is { } invalid)
        {
            return Unrecorded(invalid);
        }

        var now = Now();
        var expiry = options.Value.Expiry;
        var request = new PaymentRequestView(
            this.GetPrimaryKeyString(), command.UserId, command.RequesteeId, command.Amount, Currency.Usd.Code, command.Note,
            PaymentRequestStatus.Pending, now, now + expiry, null);

        // The reminder first: a reminder without a row finds nothing to expire, a row without a reminder would stay pending.
        await this.RegisterOrUpdateReminder(ExpiryReminder, expiry, options.Value.SettleRetryInterval);
        var response = PaymentsJson.Created(request);
        var notification = SocialNotification.For(request.Requestee, NotificationTypes.PaymentRequest, request);
        if (stamp is null)
        {
            await store.InsertAsync(request, notification);
            LogCreated(logger, request.Id, command.UserId, command.RequesteeId);
            return new IdempotentOutcome(response, null);
        }

        // A retry that runs this again (a new request id) saves nothing and gets the answer standing under the key.
        var (hash, standing, saved) = await records.SaveWithRecordAsync(stamp, response, PaymentRequestStore.InsertCommands(request, notification));
        if (saved)
        {
            LogCreated(logger, request.Id, command.UserId, command.RequesteeId);
        }

        return new IdempotentOutcome(standing, hash);
    }

    public async Task<IdempotentOutcome> Pay(PayRequestCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = await LoadForAsync(command.UserId, view => view.Requestee);
        if (request is null)
        {
            return Unrecorded(NotFound());
        }

        if (request.View.Status is not (PaymentRequestStatus.Pending or PaymentRequestStatus.Paying))
        {
            return Unrecorded(NotPending(request.View));
        }

        // The reminder first: should this silo die anywhere between here and "paid", the reminder finishes the payment
        // with the same stamp (or, finding nothing paying, removes itself).
        await this.RegisterOrUpdateReminder(SettleReminder, options.Value.SettleRetryInterval, options.Value.SettleRetryInterval);

        // A request already paying was interrupted: keep its start time, which bounds how late it may be sent again.
        var paying = request.View.Status == PaymentRequestStatus.Paying
            ? request
            : await store.TransitionAsync(Id, s_pending, PaymentRequestStatus.Paying, Now()) ?? (await store.GetAsync(Id))!;
        if (paying.View.Status != PaymentRequestStatus.Paying)
        {
            return Unrecorded(NotPending(paying.View)); // Declined, cancelled or paid a moment ago (by another activation).
        }

        return await SettleAsync(paying);
    }

    public Task<Outcome<PaymentRequestView>> Decline(string userId) =>
        CloseAsync(userId, view => view.Requestee, PaymentRequestStatus.Declined, view => SocialNotification.For(view.Requester, NotificationTypes.RequestDeclined, view));

    public Task<Outcome<PaymentRequestView>> Cancel(string userId) =>
        CloseAsync(userId, view => view.Requester, PaymentRequestStatus.Cancelled, notification: null);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var request = await store.GetAsync(Id);
        if (reminderName == ExpiryReminder)
        {
            // Periodic until the request is no longer pending, so an expiry that failed is tried again.
            if (request is null || (await ExpireIfDueAsync(request)).View.Status != PaymentRequestStatus.Pending)
            {
                await this.UnregisterReminderIfAnyAsync(ExpiryReminder);
            }
        }
        else if (reminderName == SettleReminder)
        {
            if (request?.View.Status == PaymentRequestStatus.Paying)
            {
                await SettleAsync(request);
            }
            else
            {
                await this.UnregisterReminderIfAnyAsync(SettleReminder);
            }
        }
    }

    /// <summary>Sends (or finds) the transfer for a paying request and records the result on the row.</summary>
    private async Task<IdempotentOutcome> SettleAsync(PaymentRequestRow paying)
    {
        var request = paying.View;
        if (Now() - paying.UpdatedAt > ledgerOptions.Value.IdempotencyRetention / 2)
        {
            // The stamp's record may be gone by now, and sending again could pay twice: leave it to an operator.
            LogPayingTooLong(logger, request.Id, paying.UpdatedAt);
            return Unrecorded(new PaymentError(ErrorCodes.ServiceUnavailable, "This request's payment needs an operator's attention."));
        }

        var stamp = new IdempotencyStamp(PaymentRequestIdempotency.Scope, request.Id, request.Id);
        var transfer = new TransferCommand(request.Requestee, request.Requester, request.Amount, request.Currency, request.Note, PaymentVisibility);
        // A resend whose first send committed (its answer lost to a crash or a timeout) is not sent again: the payer's
        // balance has dropped by that very payment, so the send would be refused at admission, or funded from the bank
        // by a pull the ledger's duplicate answer would not undo. The stamp's record is the truth.
        var sent = await records.FindAsync(stamp) is { Response.Status: 201 } committed
            ? new IdempotentOutcome(committed.Response, committed.RequestHash)
            : await GrainFactory.Reference<IWalletGrain>(request.Requestee).Send(transfer, stamp);
        if (sent.Response.Status is not (201 or 429 or >= 500) && await records.FindAsync(stamp) is { Response.Status: 201 } committedMeanwhile)
        {
            // Another activation's send committed after the read above (a split brain): its record is the truth too.
            sent = new IdempotentOutcome(committedMeanwhile.Response, committedMeanwhile.RequestHash);
        }

        if (sent.Response.Status == 201)
        {
            var receipt = JsonSerializer.Deserialize<TransferReceipt>(sent.Response.Body, PaymentsJson.Options)!;
            var paid = await store.MarkPaidAsync(Id, Guid.Parse(receipt.Transfer.Id), Now(), view => SocialNotification.For(view.Requester, NotificationTypes.RequestPaid, view))
                ?? throw new InvalidOperationException($"Payment request {request.Id} was paid by transfer {receipt.Transfer.Id} but its row disagrees.");
            await this.UnregisterReminderIfAnyAsync(SettleReminder);
            await this.UnregisterReminderIfAnyAsync(ExpiryReminder);
            LogPaid(logger, request.Id, receipt.Transfer.Id);
            return new IdempotentOutcome(PaymentsJson.Created(new PayReceipt(paid.View, receipt.Transfer, receipt.Balance)), null);
        }

        if (sent.Response.Status is 429 or >= 500)
        {
            return sent; // Outcome unknown: stay paying; a retry or the settle reminder sends again with the same stamp.
        }

        // Refused (insufficient funds, frozen, limit) and no transfer under the stamp: nothing moved, it can be paid later.
        await store.TransitionAsync(Id, s_paying, PaymentRequestStatus.Pending, Now());
        await this.UnregisterReminderIfAnyAsync(SettleReminder);
        return sent;
    }

    private async Task<Outcome<PaymentRequestView>> CloseAsync(
        string userId, Func<PaymentRequestView, string> party, string status, Func<PaymentRequestView, OutboxMessage>? notification)
    {
        var request = await LoadForAsync(userId, party);
        if (request is null)
        {
            return NotFound();
        }

        var closed = await store.TransitionAsync(Id, s_pending, status, Now(), notification);
        if (closed is null)
        {
            return NotPending((await store.GetAsync(Id))!.View);
        }

        await this.UnregisterReminderIfAnyAsync(ExpiryReminder);
        return closed.View;
    }

    /// <summary>The request if <paramref name="userId"/> is the party <paramref name="party"/> picks, expired first if its time is up.</summary>
    private async Task<PaymentRequestRow?> LoadForAsync(string userId, Func<PaymentRequestView, string> party)
    {
        if (!SocialId.TryParse(this.GetPrimaryKeyString(), out _))
        {
            return null;
        }

        var request = await store.GetAsync(Id);
        if (request is null || !string.Equals(party(request.View), userId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return await ExpireIfDueAsync(request);
    }

    /// <summary>A pending request past its expiry becomes expired, whether the reminder or a caller notices first.</summary>
    private async Task<PaymentRequestRow> ExpireIfDueAsync(PaymentRequestRow request)
    {
        if (request.View.Status != PaymentRequestStatus.Pending || request.View.ExpiresAt > time.GetUtcNow())
        {
            return request;
        }

        var expired = await store.TransitionAsync(Id, s_pending, PaymentRequestStatus.Expired, Now());
        if (expired is null)
        {
            return (await store.GetAsync(Id))!;
        }

        LogExpired(logger, request.View.Id);
        return expired;
    }

    private static PaymentError? Validate(CreatePaymentRequestCommand command)
    {
        if (!UserId.TryParse(command.UserId, out var requester) || !UserId.TryParse(command.RequesteeId, out var requestee))
        {
            return new PaymentError(ErrorCodes.RecipientNotFound, "No user has this id or username.", "from");
        }

        if (requester == requestee)
        {
            return new PaymentError(ErrorCodes.InvalidRecipient, "You cannot request money from yourself.", "from");
        }

        if (command.Amount is < TransferLimits.MinAmount or > TransferLimits.MaxAmount)
        {
            return new PaymentError(ErrorCodes.InvalidAmount, $"amount must be between {TransferLimits.MinAmount} and {TransferLimits.MaxAmount} minor units.", "amount");
        }

        if (FreeText.CharacterCount(command.Note) > TransferLimits.MaxNoteLength)
        {
            return PaymentError.Validation("note", $"note is at most {TransferLimits.MaxNoteLength} characters.");
        }

        return FreeText.IsStorable(command.Note) ? null : PaymentError.Validation("note", FreeText.NotStorableMessage("note"));
    }

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such payment request.");

    private static PaymentError NotPending(PaymentRequestView request) =>
        new(ErrorCodes.RequestNotPending, $"This payment request is {request.Status}; only a pending request can be paid, declined or cancelled.");

    private static IdempotentOutcome Unrecorded(PaymentError error) => new(error.ToResponse(), null);

    private DateTimeOffset Now() => DatabaseTime.Now(time);

    [LoggerMessage(1, LogLevel.Information, "Payment request {RequestId} created by {Requester} for {Requestee}")]
    private static partial void LogCreated(ILogger logger, string requestId, string requester, string requestee);

    [LoggerMessage(2, LogLevel.Information, "Payment request {RequestId} paid by transfer {TransferId}")]
    private static partial void LogPaid(ILogger logger, string requestId, string transferId);

    [LoggerMessage(3, LogLevel.Information, "Payment request {RequestId} expired")]
    private static partial void LogExpired(ILogger logger, string requestId);

    [LoggerMessage(4, LogLevel.Error, "Payment request {RequestId} has been paying since {Since}; it is not sent again automatically (its idempotency record may have expired), an operator must settle it")]
    private static partial void LogPayingTooLong(ILogger logger, string requestId, DateTimeOffset since);
}
