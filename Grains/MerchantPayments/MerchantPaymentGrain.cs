using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Payments.Grains.Acquiring;
using Payments.Grains.Fraud;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Ledger;
using Payments.Infrastructure.References;

namespace Payments.Grains.MerchantPayments;

/// <summary>
/// A merchant payment's state machine. Money moves only through ledger entries that change the payment's hold
/// (a pending posting): authorization places it, capture posts it (the rest released), void and expiry release it,
/// refunds return what was posted. The payment's row and event commit in the same transaction as each entry, and
/// the ledger refuses a hold change its locked row does not allow, so a second activation cannot capture twice or
/// refund more than was captured. Transitions run one at a time (not reentrant).
/// </summary>
// A payment is busy for seconds (authorization, capture) and then quiet for hours or days (a refund, a read reload its
// row). At the default quarter of an hour a busy merchant kept every payment of the last 15 minutes in memory (1.5
// million at 1,700 a second), and Orleans walks all of a silo's activations, under the lock that creating one takes,
// each time its gauges are read (every second with the dashboard). Ten idle seconds (the idempotency grain's, above
// the 5 s collection quantum) keep a hot merchant's last 30,000 payments at 3,000 a second; a later call reloads the
// row. Not DeactivateOnIdle after a change: calls queued behind it (concurrent refunds) would be forwarded to a
// deactivating activation and refused.
[CollectionAgeLimit("00:00:10")]
[GrainType("merchant-payment")]
public sealed partial class MerchantPaymentGrain(
    MerchantPaymentStore store,
    LedgerWriter ledger,
    ICardAcquirer acquirer,
    FraudScorer fraud,
    IOptions<MerchantPaymentOptions> options,
    IdempotencyRecordStore records,
    TimeProvider time,
    ILogger<MerchantPaymentGrain> logger) : Grain, IMerchantPaymentGrain
{
    private PaymentState? _state;
    private bool _loaded;

    private string Id => this.GetPrimaryKeyString();

    /// <summary>
    /// Reads the payment's row on its first call, except for its creation (a new id has no row: one query less on
    /// the hot path). An authorization whose merchant sweep could not be told when it was made is told now.
    /// </summary>
    private async Task LoadOnceAsync()
    {
        if (!_loaded)
        {
            await ReloadAsync();
            TrackAuthorization();
        }
    }

    public async Task<IdempotentOutcome> Create(CreateMerchantPaymentCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_loaded)
        {
            throw new InvalidOperationException($"Payment {Id} exists; ids are new for each creation.");
        }

        // A new id: nothing to read. Were it not new, its first event's key (payment, 1) would refuse the insert.
        _loaded = true;

        var merchant = await GrainFactory.Reference<IMerchantGrain>(command.UserId).Describe();
        if (merchant.Error is { } unknown)
        {
            return Unrecorded(unknown);
        }

        if (merchant.Value!.DefaultCurrency != command.Currency)
        {
            return Unrecorded(new PaymentError(ErrorCodes.CurrencyMismatch, $"This merchant takes payments in {merchant.Value.DefaultCurrency}.", "currency"));
        }

        var now = Now();
        var actor = command.Actor;
        var method = command.Card is { } card
            ? new PaymentMethodView(PaymentMethodTypes.Card, card.Brand, card.Last4, card.ExpMonth, card.ExpYear, card.Fingerprint, null)
            : new PaymentMethodView(PaymentMethodTypes.Wallet, null, null, null, null, null, command.PayerUserId);
        var signals = new PaymentSignals(command.Card?.Fingerprint, command.PayerUserId, command.ClientIp, command.CustomerCountry);
        var assessment = await fraud.AssessAsync(
            new FraudInput(command.UserId, command.Amount, command.Currency, signals.CardFingerprint, signals.PayerUserId, signals.ClientIp, signals.Country, command.CustomerReference),
            merchant.Value.Fraud);
        // Created when its id was issued (to the millisecond): listings find a time window as a range of ids.
        var view = new PaymentView(
            Id, command.UserId, PaymentStatus.RequiresConfirmation, command.Amount, 0, 0, 0, 0, command.Currency, command.CaptureMethod, method,
            command.Description, command.Metadata, command.CustomerReference, assessment, null, null, [], PrefixedId.TimeOf(Id), null, null, null, null);
        if (assessment.Outcome == FraudOutcomes.Block)
        {
            // Blocked before authorization: the network is never asked, the payment is on record as failed.
            var blocked = view with { Status = PaymentStatus.Failed, DeclineCode = FraudBlockedDeclineCode };
            LogDeclined(logger, Id, command.UserId, FraudBlockedDeclineCode);
            return await SaveWithoutMoneyAsync(
                new PaymentState(blocked, null, 1, signals), new PaymentChange("payment.failed", actor, command.Amount, now), stamp,
                Declined(new CardDeclinedBody(ErrorCodes.FraudBlocked, FraudBlockedDeclineCode, $"The payment was blocked by fraud rules (score {assessment.Score}).", false, blocked)));
        }

        if (command.Card is null)
        {
            // A wallet payment waits for its payer; nothing moves until they confirm.
            return await SaveWithoutMoneyAsync(new PaymentState(view, null, 1, signals), new PaymentChange("payment.created", actor, command.Amount, now), stamp, PaymentsJson.Created(view));
        }

        AcquirerDecision decision;
        try
        {
            // The acquirer's key names this request, so a retry after an unknown outcome gets the same authorization.
            decision = await acquirer.AuthorizeAsync(
                new CardAuthorization($"{stamp.Scope}/{stamp.Key}/{stamp.RequestHash}", command.Card.Number, command.Card.ExpMonth, command.Card.ExpYear, command.Card.Cvc, command.Amount, command.Currency),
                CancellationToken.None);
        }
        catch (AcquirerUnavailableException error)
        {
            LogAcquirerUnavailable(logger, error, Id);
            return Unrecorded(new PaymentError(ErrorCodes.ServiceUnavailable, "The card network did not answer; retry with the same Idempotency-Key."));
        }

        if (!decision.Approved)
        {
            var failed = view with { Status = PaymentStatus.Failed, DeclineCode = decision.DeclineCode };
            // A decline is this payment's answer, stored under the key like any other. `retryable` says whether a new
            // payment (a new Idempotency-Key) may succeed: a processing error is the network's, not the card's.
            var retryable = decision.DeclineCode == DeclineCodes.ProcessingError;
            var body = new CardDeclinedBody(ErrorCodes.CardDeclined, decision.DeclineCode!, DeclineMessage(decision.DeclineCode!), retryable, failed);
            LogDeclined(logger, Id, command.UserId, decision.DeclineCode!);
            return await SaveWithoutMoneyAsync(
                new PaymentState(failed, null, 1, signals), new PaymentChange("payment.failed", actor, command.Amount, now), stamp, Declined(body));
        }

        var authorized = view with { AuthorizationCode = decision.AuthorizationCode };
        return await AuthorizeAsync(authorized, LedgerAccounts.CardClearing(command.Currency), actor, stamp, now, signals);
    }

    public async Task<IdempotentOutcome> Confirm(ConfirmMerchantPaymentCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        await LoadOnceAsync();
        if (_state is not { } state || state.View.PaymentMethod.User != command.UserId)
        {
            return Unrecorded(NotFound());
        }

        if (state.View.Status != PaymentStatus.RequiresConfirmation)
        {
            return Unrecorded(new PaymentError(ErrorCodes.PaymentNotConfirmable, $"The payment is {state.View.Status}; only a payment awaiting confirmation can be confirmed."));
        }

        if (!UserId.TryParse(command.UserId, out var payer))
        {
            return Unrecorded(NotFound());
        }

        if (command.Card is { } card)
        {
            return await ConfirmWithCardAsync(state.View, command.UserId, card, stamp);
        }

        if (command.CardOnFile is { } storedCard)
        {
            return await ConfirmWithCardOnFileAsync(state.View, command.UserId, storedCard, stamp);
        }

        return await AuthorizeAsync(state.View, LedgerAccounts.Wallet(payer, state.View.Currency), $"user:{command.UserId}", stamp, Now());
    }

    /// <summary>
    /// The payer's wallet card pays: its network checks the device's cryptogram (over this payment's amount, currency
    /// and merchant) and its counter, keyed by this confirmation so a retry is charged once. The money then comes in
    /// through card clearing, as for any card. A declined cryptogram leaves the payment awaiting confirmation.
    /// </summary>
    private async Task<IdempotentOutcome> ConfirmWithCardAsync(PaymentView view, string payerId, DeviceCardPayment card, IdempotencyStamp stamp)
    {
        var charge = await GrainFactory.Reference<ICardTokenGrain>(card.CardId).Charge(
            new CardChargeRequest(payerId, Id, view.MerchantId, view.Amount, view.Currency, card.Cryptogram, card.Atc, $"{stamp.Scope}/{stamp.Key}/{stamp.RequestHash}"));
        return await AuthorizeCardChargeAsync(view, payerId, charge, stamp);
    }

    /// <summary>A wallet card's charge answered: approved, the money comes in through card clearing; declined, the payment still awaits confirmation.</summary>
    private async Task<IdempotentOutcome> AuthorizeCardChargeAsync(PaymentView view, string payerId, Outcome<CardChargeResult> charge, IdempotencyStamp stamp)
    {
        if (charge.Error is { } refused)
        {
            return Unrecorded(refused);
        }

        var result = charge.Value!;
        if (!result.Approved)
        {
            LogDeclined(logger, Id, view.MerchantId, result.DeclineCode!);
            var body = new CardDeclinedBody(ErrorCodes.CardDeclined, result.DeclineCode!, DeclineMessage(result.DeclineCode!), false, view);
            return Unrecorded(Declined(body));
        }

        var wallet = result.Card;
        var method = new PaymentMethodView(PaymentMethodTypes.NetworkToken, wallet.Network, wallet.Last4, wallet.ExpMonth, wallet.ExpYear, null, payerId, wallet.Id);
        return await AuthorizeAsync(
            view with { PaymentMethod = method, AuthorizationCode = result.AuthorizationCode }, LedgerAccounts.CardClearing(view.Currency), $"user:{payerId}", stamp, Now());
    }

    /// <summary>
    /// The platform charges the payer's wallet card as a card on file, with no device cryptogram: only for payments the
    /// platform itself starts for the payer (an order's saga), never from the API's confirm, which requires the cryptogram.
    /// </summary>
    private async Task<IdempotentOutcome> ConfirmWithCardOnFileAsync(PaymentView view, string payerId, string cardId, IdempotencyStamp stamp)
    {
        var charge = await GrainFactory.Reference<ICardTokenGrain>(cardId).Pull(payerId, view.Amount, view.Currency, $"{stamp.Scope}/{stamp.Key}/{stamp.RequestHash}");
        return await AuthorizeCardChargeAsync(view, payerId, charge, stamp);
    }

    public async Task<IdempotentOutcome> Capture(CaptureMerchantPaymentCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        await LoadOnceAsync();
        if (Owned(command.UserId) is not { } state)
        {
            return Unrecorded(NotFound());
        }

        var view = state.View;
        if (view.Status != PaymentStatus.RequiresCapture || state.HoldId is not { } holdId)
        {
            return Unrecorded(new PaymentError(ErrorCodes.PaymentNotCapturable, $"The payment is {view.Status}; only an authorized payment (requires_capture) can be captured."));
        }

        if (view.AuthorizationExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            // Past its expiry the authorization is no longer the merchant's to capture, whether or not the sweep has come
            // by yet: it is released now, as the sweep would have, and the capture refused.
            var released = await ReleaseAsync(state, "system", expired: true, stamp: null);
            return released.Response.Status >= 500
                ? released
                : Unrecorded(new PaymentError(ErrorCodes.PaymentNotCapturable, $"The authorization expired at {expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}; it can no longer be captured."));
        }

        var amount = command.Amount ?? view.AmountCapturable;
        if (amount < 1 || amount > view.AmountCapturable)
        {
            return Unrecorded(new PaymentError(ErrorCodes.InvalidAmount, $"amount to capture is between 1 and {view.AmountCapturable}.", "amount"));
        }

        var now = Now();
        var fee = options.Value.FeeOn(amount);
        var captured = view with { Status = PaymentStatus.Succeeded, AmountCapturable = 0, AmountCaptured = amount, Fee = fee, CapturedAt = now };
        var next = new PaymentState(captured, holdId, state.Version + 1);
        var entry = Entry(
            LedgerEntryTypes.Capture, now, next, new PaymentChange("payment.captured", command.Actor, amount, now), stamp,
            CaptureMovements(PayerAccount(view), view, amount, fee), [new LedgerHoldChange.Post(holdId, amount)]);
        return await CommitAsync(entry, next, stamp, () => new PaymentError(ErrorCodes.PaymentNotCapturable, "The payment can no longer be captured."));
    }

    public async Task<IdempotentOutcome> Void(VoidMerchantPaymentCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        await LoadOnceAsync();
        if (Owned(command.UserId) is not { } state)
        {
            return Unrecorded(NotFound());
        }

        if (state.View.Status == PaymentStatus.RequiresConfirmation)
        {
            // Nothing is held yet: canceled, it can no longer be confirmed (an order whose saga gave up closes its payment so).
            var now = Now();
            var canceled = state.View with { Status = PaymentStatus.Canceled, CanceledAt = now, CancellationReason = "void" };
            return await SaveWithoutMoneyAsync(
                new PaymentState(canceled, null, state.Version + 1, state.Signals), new PaymentChange("payment.canceled", command.Actor, null, now), stamp,
                PaymentsJson.Created(canceled));
        }

        if (state.View.Status != PaymentStatus.RequiresCapture)
        {
            return Unrecorded(new PaymentError(ErrorCodes.PaymentNotCancelable, $"The payment is {state.View.Status}; only a payment awaiting confirmation or capture can be voided."));
        }

        return await ReleaseAsync(state, command.Actor, expired: false, stamp);
    }

    public async Task<IdempotentOutcome> Refund(RefundMerchantPaymentCommand command, IdempotencyStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(command);
        await LoadOnceAsync();
        if (Owned(command.UserId) is not { } state)
        {
            return Unrecorded(NotFound());
        }

        var view = state.View;
        if (view.Status != PaymentStatus.Succeeded || state.HoldId is not { } holdId)
        {
            return Unrecorded(new PaymentError(ErrorCodes.PaymentNotRefundable, $"The payment is {view.Status}; only a succeeded payment can be refunded."));
        }

        var left = view.AmountCaptured - view.AmountRefunded;
        var amount = command.Amount ?? left;
        if (left == 0 || amount > left)
        {
            return Unrecorded(new PaymentError(ErrorCodes.RefundExceedsCaptured, $"Only {left} of the {view.AmountCaptured} captured is left to refund.", "amount"));
        }

        if (amount < 1)
        {
            return Unrecorded(new PaymentError(ErrorCodes.InvalidAmount, $"amount to refund is between 1 and {left}.", "amount"));
        }

        var now = Now();
        var refund = new RefundView(PrefixedId.New(PrefixedId.Refund), view.Id, amount, view.Currency, command.Reason, now);
        var refunded = view with { AmountRefunded = view.AmountRefunded + amount, Refunds = [.. view.Refunds, refund] };
        var next = new PaymentState(refunded, holdId, state.Version + 1);
        // The fee is not returned (as at Stripe): the whole refund comes out of the merchant's pending balance.
        var entry = Entry(
            LedgerEntryTypes.Refund, now, next, new PaymentChange("payment.refunded", command.Actor, amount, now), stamp,
            [new LedgerMovement(LedgerAccounts.MerchantPending(view.MerchantId, view.Currency), PayerAccount(view), amount, view.Currency)],
            [new LedgerHoldChange.Refund(holdId, amount)],
            render: _ => PaymentsJson.Created(refund));
        return await CommitAsync(entry, next, stamp, () => new PaymentError(ErrorCodes.RefundExceedsCaptured, "The refunds would exceed what was captured.", "amount"));
    }

    public async Task<Outcome<PaymentView>> Get(string merchantId)
    {
        await LoadOnceAsync();
        return Owned(merchantId) is { } state ? state.View : NotFound();
    }

    public async Task<Outcome<PaymentEventPage>> Events(string merchantId)
    {
        await LoadOnceAsync();
        return Owned(merchantId) is null ? NotFound() : new PaymentEventPage(await store.EventsAsync(Id), false);
    }

    public async Task Expire()
    {
        await ReloadAsync();
        if (_state is { View.Status: PaymentStatus.RequiresCapture } state && state.View.AuthorizationExpiresAt <= time.GetUtcNow())
        {
            var outcome = await ReleaseAsync(state, "system", expired: true, stamp: null);
            if (outcome.Response.Status >= 500)
            {
                throw new LedgerUnavailableException($"Payment {Id} could not be expired now; the next sweep tries again.");
            }
        }
    }

    /// <summary>Places the hold for the whole amount, posting it at once for automatic capture.</summary>
    private async Task<IdempotentOutcome> AuthorizeAsync(PaymentView view, string payerAccount, string actor, IdempotencyStamp stamp, DateTimeOffset now, PaymentSignals? signals = null)
    {
        var holdId = Guid.CreateVersion7();
        var expiresAt = now + options.Value.AuthorizationLifetime;
        var merchantAccount = LedgerAccounts.MerchantPending(view.MerchantId, view.Currency);
        var holds = new List<LedgerHoldChange> { new LedgerHoldChange.Place(holdId, payerAccount, merchantAccount, view.Amount, view.Currency, expiresAt) };
        var version = (_state?.Version ?? 0) + 1;
        PaymentState next;
        PaymentChange change;
        IReadOnlyList<LedgerMovement> movements = [];
        if (view.CaptureMethod == CaptureMethods.Automatic)
        {
            var fee = options.Value.FeeOn(view.Amount);
            next = new PaymentState(view with { Status = PaymentStatus.Succeeded, AmountCaptured = view.Amount, Fee = fee, CapturedAt = now }, holdId, version, signals);
            change = new PaymentChange("payment.succeeded", actor, view.Amount, now);
            holds.Add(new LedgerHoldChange.Post(holdId, view.Amount));
            movements = CaptureMovements(payerAccount, view, view.Amount, fee);
        }
        else
        {
            next = new PaymentState(view with { Status = PaymentStatus.RequiresCapture, AmountCapturable = view.Amount, AuthorizationExpiresAt = expiresAt }, holdId, version, signals);
            change = new PaymentChange("payment.authorized", actor, view.Amount, now);
        }

        var entry = Entry(movements.Count > 0 ? LedgerEntryTypes.Capture : LedgerEntryTypes.Hold, now, next, change, stamp, movements, holds);
        var outcome = await CommitAsync(entry, next, stamp, () => new PaymentError(ErrorCodes.PaymentNotConfirmable, "The payment can no longer be confirmed."));
        TrackAuthorization();
        return outcome;
    }

    /// <summary>
    /// Tells the merchant's sweep (<see cref="IAuthorizationExpiryGrain"/>) about an authorized payment, one-way: the
    /// authorization is committed already, and if the call is lost the payment's next activation tells it again.
    /// </summary>
    private void TrackAuthorization()
    {
        if (_state is { View.Status: PaymentStatus.RequiresCapture } state)
        {
            _ = GrainFactory.Reference<IAuthorizationExpiryGrain>(state.View.MerchantId).Track();
        }
    }

    private async Task<IdempotentOutcome> ReleaseAsync(PaymentState state, string actor, bool expired, IdempotencyStamp? stamp)
    {
        var now = Now();
        var view = state.View;
        var canceled = view with { Status = PaymentStatus.Canceled, AmountCapturable = 0, CanceledAt = now, CancellationReason = expired ? "expired" : "void" };
        var next = new PaymentState(canceled, state.HoldId, state.Version + 1);
        var entry = Entry(
            LedgerEntryTypes.Hold, now, next, new PaymentChange(expired ? "payment.expired" : "payment.canceled", actor, view.AmountCapturable, now), stamp, [],
            [new LedgerHoldChange.Release(state.HoldId!.Value, PayerAccount(view), expired)]);
        return await CommitAsync(entry, next, stamp, () => new PaymentError(ErrorCodes.PaymentNotCancelable, "The payment can no longer be voided."));
    }

    private LedgerEntry Entry(
        string type, DateTimeOffset now, PaymentState next, PaymentChange change, IdempotencyStamp? stamp,
        IReadOnlyList<LedgerMovement> movements, IReadOnlyList<LedgerHoldChange> holds, Func<LedgerBalances, StoredResponse>? render = null)
    {
        var record = new PaymentRecord(next, change);
        return new(
            TransactionId.New(), type, now, movements, null, stamp,
            stamp is null ? null : render ?? (_ => new StoredResponse(201, record.ViewJson)),
            [], null, holds, record, reference: Id);
    }

    private async Task<IdempotentOutcome> CommitAsync(LedgerEntry entry, PaymentState next, IdempotencyStamp? stamp, Func<PaymentError> refusedByHold)
    {
        LedgerResult result;
        try
        {
            result = await ledger.SubmitAsync(entry);
        }
        catch (LedgerUnavailableException error)
        {
            LogCommitUnknown(logger, error, Id, entry.Id.ToString());
            await ReloadAsync();
            return Unrecorded(new PaymentError(ErrorCodes.ServiceUnavailable, "The ledger is unavailable; retry with the same Idempotency-Key."));
        }

        switch (result)
        {
            case LedgerResult.Committed committed:
                _state = next;
                LogChanged(logger, Id, next.View.MerchantId, next.View.Status, next.Version);
                return new IdempotentOutcome(committed.Response ?? PaymentsJson.Created(next.View), stamp?.RequestHash, Committed: stamp is not null);
            case LedgerResult.Duplicate duplicate:
                await ReloadAsync();
                return new IdempotentOutcome(duplicate.Response, duplicate.RequestHash);
            case LedgerResult.Rejected { Error.Code: ErrorCodes.HoldNotAvailable }:
                // Another activation changed the hold first: take its state, and refuse as the state machine would.
                await ReloadAsync();
                return Unrecorded(refusedByHold());
            case LedgerResult.Rejected rejected:
                return Unrecorded(rejected.Error);
            default:
                throw new LedgerInvariantException($"Unknown ledger result {result.GetType().Name}.");
        }
    }

    private async Task<IdempotentOutcome> SaveWithoutMoneyAsync(PaymentState state, PaymentChange change, IdempotencyStamp stamp, StoredResponse response)
    {
        var (hash, standing, saved) = await records.SaveWithRecordAsync(stamp, response, MerchantPaymentStore.SaveCommands([new PaymentRecord(state, change)]));
        if (saved)
        {
            _state = state;
        }

        return new IdempotentOutcome(standing, hash);
    }

    private static IReadOnlyList<LedgerMovement> CaptureMovements(string payerAccount, PaymentView view, long amount, long fee)
    {
        var merchant = LedgerAccounts.MerchantPending(view.MerchantId, view.Currency);
        var capture = new LedgerMovement(payerAccount, merchant, amount, view.Currency);
        return fee > 0 ? [capture, new LedgerMovement(merchant, LedgerAccounts.Fees(view.Currency), fee, view.Currency)] : [capture];
    }

    /// <summary>Where the payment's money comes from: the card networks' clearing account, or the payer's wallet.</summary>
    private static string PayerAccount(PaymentView view) =>
        view.PaymentMethod is { Type: PaymentMethodTypes.Wallet, User: { } user } && UserId.TryParse(user, out var payer)
            ? LedgerAccounts.Wallet(payer, view.Currency)
            : LedgerAccounts.CardClearing(view.Currency);

    private PaymentState? Owned(string merchantId) => _state is { } state && state.View.MerchantId == merchantId ? state : null;

    private async Task ReloadAsync()
    {
        _state = PrefixedId.IsValid(Id, PrefixedId.Payment) ? await store.LoadAsync(Id) : null;
        _loaded = true;
    }

    private const string FraudBlockedDeclineCode = "fraud_blocked";

    private static StoredResponse Declined(CardDeclinedBody body) => new(402, JsonSerializer.Serialize(body, PaymentsJson.Options));

    private static string DeclineMessage(string declineCode) => declineCode switch
    {
        DeclineCodes.InsufficientFunds => "The card has insufficient funds.",
        DeclineCodes.ExpiredCard => "The card has expired.",
        DeclineCodes.ProcessingError => "The card network could not process the card; try again.",
        "invalid_cryptogram" => "The device's cryptogram does not match this payment.",
        "replayed_cryptogram" => "The device's cryptogram was used before.",
        "token_inactive" => "The card's network token is not active.",
        _ => "The card was declined.",
    };

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such payment.");

    private static IdempotentOutcome Unrecorded(PaymentError error) => new(error.ToResponse(), null);

    private static IdempotentOutcome Unrecorded(StoredResponse response) => new(response, null);

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(1, LogLevel.Information, "Payment {PaymentId} of merchant {MerchantId} is {Status} (version {Version})")]
    private static partial void LogChanged(ILogger logger, string paymentId, string merchantId, string status, int version);

    [LoggerMessage(2, LogLevel.Information, "Payment {PaymentId} of merchant {MerchantId} declined: {DeclineCode}")]
    private static partial void LogDeclined(ILogger logger, string paymentId, string merchantId, string declineCode);

    [LoggerMessage(3, LogLevel.Warning, "The acquirer did not answer for payment {PaymentId}")]
    private static partial void LogAcquirerUnavailable(ILogger logger, Exception error, string paymentId);

    [LoggerMessage(4, LogLevel.Warning, "Commit of {TransactionId} for payment {PaymentId} has an unknown outcome; rereading the row")]
    private static partial void LogCommitUnknown(ILogger logger, Exception error, string paymentId, string transactionId);
}
