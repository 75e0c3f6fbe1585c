using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Infrastructure.Placement;
using Payments.Grains.Banking;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Money;
using Payments.Grains.Interfaces.Text;
using Payments.Grains.Interfaces.Transfers;
using Payments.Grains.Interfaces.Wallets;
using Payments.Grains.Ledger;
using Payments.Grains.Notifications;
using Payments.Grains.Payouts;
using Orleans;
using Payments.Infrastructure.Streams;

namespace Payments.Grains.Wallets;

/// <summary>
/// A user's USD wallet. Reentrant: a debit is admitted in one synchronous segment (status, daily limit, available
/// funds, then recorded as pending) and the grain serves other calls while the ledger writer commits it.
/// The cached balance only ever lags the row, so the cache may refuse a payment that would fit (it then rereads
/// the row once) but never admits one that does not; the row's CHECK is the last line of defence.
/// </summary>
[Reentrant]
[UserAffinityPlacement]
[GrainType("wallet")]
public sealed partial class WalletGrain(
    WalletStore store,
    LedgerWriter ledger,
    IBankGateway bank,
    IOptions<WalletOptions> options,
    TimeProvider time,
    ILogger<WalletGrain> logger) : Grain, IWalletGrain
{
    private static readonly string s_currency = Currency.Usd.Code;

    private UserId _user;
    private string _account = "";
    private bool _exists;
    private long _balance;
    private long _held;
    private long _version = -1;
    private string _status = WalletStatus.Active;

    // The user's default visibility for sends that name none; changes counted like the status, for the same reason.
    private string _defaultVisibility = Visibility.Friends;
    private int _visibilityChanges;

    // Counts status changes, so a reread that started before one does not put the old status back (calls interleave).
    private int _statusChanges;
    private long _pendingDebits;
    private DateOnly _limitDay;
    private long _sentCommittedToday;
    private long _sendsPending;

    private long Available => _balance - _held - _pendingDebits;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!UserId.TryParse(this.GetPrimaryKeyString(), out _user))
        {
            return; // Not a user id: the wallet does not exist and every call says so.
        }

        _account = LedgerAccounts.Wallet(_user, s_currency);
        await ResyncAsync();
    }

    public async Task<Outcome<WalletView>> Get()
    {
        // The row is the truth; reading it makes GET exact even while commit notifications are in flight.
        await ResyncAsync();
        return _exists ? View() : NotFound();
    }

    public async Task<IdempotentOutcome> Send(TransferCommand command, IdempotencyStamp stamp)
    {
        if (ValidateTransfer(command, out var recipient) is { } invalid)
        {
            return Unrecorded(invalid);
        }

        var refused = await AdmitDebitAsync(command.Amount, isSend: true);
        if (refused is { Code: ErrorCodes.InsufficientFunds })
        {
            return await SendFundedAsync(command, recipient, stamp, refused);
        }

        if (refused is not null)
        {
            return Unrecorded(refused);
        }

        return await CommitDebitAsync(TransferEntry(command, recipient, stamp, null), command.Amount, isSend: true, stamp);
    }

    /// <summary>
    /// The transfer's ledger entry. A funded transfer first moves the pulled shortfall from where it came (bank or
    /// card clearing) into the wallet, in the same transaction, so the wallet never goes below zero in between.
    /// </summary>
    private LedgerEntry TransferEntry(TransferCommand command, UserId recipient, IdempotencyStamp stamp, FundedShortfall? funded)
    {
        var now = Now();
        var id = TransactionId.New();
        var account = _account;
        var visibility = command.Visibility ?? _defaultVisibility;
        var view = new TransferView(
            id.ToString(), _user.Key, recipient.Key, command.Amount, s_currency, command.Note, visibility, TransferStatus.Completed, now, funded?.Lines(command.Amount));
        var transfer = new LedgerMovement(account, LedgerAccounts.Wallet(recipient, s_currency), command.Amount, s_currency);
        return new LedgerEntry(
            id, LedgerEntryTypes.Transfer, now,
            funded is null ? [transfer] : [new LedgerMovement(funded.Account, account, funded.Amount, s_currency), transfer],
            new TransferRemark(command.Note, visibility),
            stamp,
            balances => PaymentsJson.Created(new TransferReceipt(view, balances.BalanceAfter(account))),
            [OutboxMessage.Create(TransferStream.Namespace, _user.Key, TransferStream.TransferCompleted, JsonSerializer.Serialize(view, PaymentsJson.Options))],
            record: funded is null ? null : new FundingPullRecord(funded.PullKey, account, funded.Amount, id.Value))
        {
            AnsweredWallet = _user.Key,
        };
    }

    public async Task<IdempotentOutcome> Deposit(DepositCommand command, IdempotencyStamp stamp)
    {
        if (ValidateMovement(command.Amount) is { } invalid)
        {
            return Unrecorded(invalid);
        }

        // The bank's key names this request, not only the client's key: keys are per user, and a key reused with another
        // body after a retryable failure (nothing recorded) must not replay the first pull's amount.
        var pullKey = $"{stamp.Scope}/{stamp.Key}/{stamp.RequestHash}";
        try
        {
            await bank.PullAsync(_user.Key, command.Amount, s_currency, pullKey, CancellationToken.None);
        }
        catch (BankUnavailableException)
        {
            return Unrecorded(new PaymentError(ErrorCodes.ServiceUnavailable, "The bank did not complete the transfer; retry with the same Idempotency-Key."));
        }

        var now = Now();
        var id = TransactionId.New();
        var account = _account;
        var entry = new LedgerEntry(
            id, LedgerEntryTypes.Deposit, now,
            [new LedgerMovement(LedgerAccounts.Bank(s_currency), account, command.Amount, s_currency)],
            null, stamp,
            balances => PaymentsJson.Created(new MovementReceipt(id.ToString(), balances.BalanceAfter(account))),
            [],
            record: new FundingPullRecord(pullKey, account, command.Amount, id.Value))
        {
            AnsweredWallet = _user.Key,
        };
        var result = await SubmitAsync(entry);
        return await AnswerAsync(result, stamp);
    }

    public async Task<IdempotentOutcome> Withdraw(WithdrawalCommand command, IdempotencyStamp stamp)
    {
        if (ValidateMovement(command.Amount) is { } invalid)
        {
            return Unrecorded(invalid);
        }

        if (command.InstantToCard is { } card)
        {
            return await CashOutToCardAsync(command.Amount, card, stamp);
        }

        if (await AdmitDebitAsync(command.Amount, isSend: false) is { } refused)
        {
            return Unrecorded(refused);
        }

        var now = Now();
        var id = TransactionId.New();
        var account = _account;
        // The payout row and its event commit with the withdrawal; the event wakes the user's payout grain, which pays it at the bank.
        var payout = new PayoutRequest(id.ToString(), _user.Key, command.Amount, s_currency, now);
        var entry = new LedgerEntry(
            id, LedgerEntryTypes.Withdrawal, now,
            [new LedgerMovement(account, LedgerAccounts.Bank(s_currency), command.Amount, s_currency)],
            null, stamp,
            balances => PaymentsJson.Created(new MovementReceipt(id.ToString(), balances.BalanceAfter(account))),
            [OutboxMessage.Create(PayoutStream.Namespace, _user.Key, PayoutStream.PayoutRequested, JsonSerializer.Serialize(payout, PaymentsJson.Options))],
            payout)
        {
            AnsweredWallet = _user.Key,
        };
        return await CommitDebitAsync(entry, command.Amount, isSend: false, stamp);
    }

    public async Task<Outcome<string>> GetDefaultVisibility()
    {
        await ResyncAsync();
        return _exists ? _defaultVisibility : new PaymentError(ErrorCodes.NotFound, "This user does not exist.");
    }

    public async Task<Outcome<string>> SetDefaultVisibility(string visibility)
    {
        if (!Visibility.IsValid(visibility))
        {
            return PaymentError.Validation("defaultVisibility", "defaultVisibility must be one of public, friends, private.");
        }

        if (!_exists)
        {
            return new PaymentError(ErrorCodes.NotFound, "This user does not exist.");
        }

        await store.SetDefaultVisibilityAsync(_user, visibility);
        _defaultVisibility = visibility;
        _visibilityChanges++;
        return visibility;
    }

    public async Task<Outcome<WalletView>> SetFrozen(bool frozen)
    {
        if (!_exists)
        {
            return NotFound();
        }

        var before = _status;
        _status = frozen ? WalletStatus.Frozen : WalletStatus.Active;
        _statusChanges++;
        await store.SetStatusAsync(_account, _user.Key, before, _status);
        LogStatusChanged(logger, _user.Key, _status);
        return View();
    }

    public Task ObserveCommittedRow(long balance, long held, long version)
    {
        ObserveRow(balance, held, version);
        return Task.CompletedTask;
    }

    /// <summary>Admission, in one synchronous segment after the optional reread: checks, then records the debit as pending.</summary>
    private async Task<PaymentError?> AdmitDebitAsync(long amount, bool isSend)
    {
        var refusal = TryAdmit(amount, isSend);
        if (refusal?.Code == ErrorCodes.InsufficientFunds)
        {
            // The cache may lag incoming money; the row decides.
            await ResyncAsync();
            refusal = TryAdmit(amount, isSend);
        }

        return refusal;
    }

    /// <param name="funded">The part of <paramref name="amount"/> pulled from a funding source, not taken from the balance.</param>
    private PaymentError? TryAdmit(long amount, bool isSend, long funded = 0)
    {
        if (!_exists)
        {
            return new PaymentError(ErrorCodes.NotFound, "This wallet does not exist.");
        }

        if (_status == WalletStatus.Frozen)
        {
            return WalletRefusals.Frozen();
        }

        RollLimitDay();
        if (isSend && _sentCommittedToday + _sendsPending + amount > options.Value.DailySendLimit)
        {
            return WalletRefusals.DailyLimitExceeded(options.Value.DailySendLimit, _sentCommittedToday + _sendsPending);
        }

        if (Available < amount - funded)
        {
            return new PaymentError(ErrorCodes.InsufficientFunds, "Insufficient funds.", "amount");
        }

        _pendingDebits += amount - funded;
        if (isSend)
        {
            _sendsPending += amount;
        }

        return null;
    }

    private async Task<IdempotentOutcome> CommitDebitAsync(LedgerEntry entry, long amount, bool isSend, IdempotencyStamp stamp, long funded = 0)
    {
        LedgerResult? result;
        try
        {
            result = await SubmitAsync(entry);
        }
        finally
        {
            ReleaseDebit(amount, isSend, funded);
        }

        if (result is LedgerResult.Committed && isSend)
        {
            _sentCommittedToday += amount;
        }

        return await AnswerAsync(result, stamp);
    }

    /// <summary>Takes an admitted debit off the pending ones (committed or not, the row now tells).</summary>
    private void ReleaseDebit(long amount, bool isSend, long funded)
    {
        _pendingDebits -= amount - funded;
        if (isSend)
        {
            _sendsPending -= amount;
        }
    }

    private async Task<LedgerResult?> SubmitAsync(LedgerEntry entry)
    {
        try
        {
            return await ledger.SubmitAsync(entry);
        }
        catch (LedgerUnavailableException error)
        {
            LogCommitUnknown(logger, error, _user.Key, entry.Id.ToString());
            return null;
        }
    }

    private async Task<IdempotentOutcome> AnswerAsync(LedgerResult? result, IdempotencyStamp stamp)
    {
        switch (result)
        {
            case LedgerResult.Committed committed:
                ObserveCommitted(committed);
                return new IdempotentOutcome(committed.Response!, stamp.RequestHash, Committed: true);
            case LedgerResult.Duplicate duplicate:
                await ResyncAsync();
                return new IdempotentOutcome(duplicate.Response, duplicate.RequestHash);
            case LedgerResult.Rejected rejected:
                await ResyncAsync();
                return Unrecorded(rejected.Error);
            default:
                // Unknown outcome: reread the row, and let the client retry with the same key to learn the truth.
                await ResyncAsync();
                return Unrecorded(new PaymentError(ErrorCodes.ServiceUnavailable, "The ledger is unavailable; retry with the same Idempotency-Key."));
        }
    }

    /// <summary>
    /// Takes the wallet's row after the committed entry's batch, not this entry's balance: a later debit in the same batch
    /// has the same version.
    /// </summary>
    private void ObserveCommitted(LedgerResult.Committed committed)
    {
        var (balance, held, version) = committed.Balances.RowAfterBatch(_account);
        ObserveRow(balance, held, version);
    }

    private async Task ResyncAsync()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var statusChanges = _statusChanges;
        var visibilityChanges = _visibilityChanges;
        var snapshot = await store.LoadAsync(_account, today);
        if (snapshot is null)
        {
            _exists = false;
            return;
        }

        _exists = true;
        if (statusChanges == _statusChanges)
        {
            _status = snapshot.Status;
        }

        if (visibilityChanges == _visibilityChanges)
        {
            _defaultVisibility = snapshot.DefaultVisibility;
        }

        if (snapshot.Version >= _version)
        {
            _balance = snapshot.Balance;
            _held = snapshot.Held;
            _version = snapshot.Version;
            _limitDay = today;
            _sentCommittedToday = snapshot.SentToday;
        }
    }

    private void ObserveRow(long balance, long held, long version)
    {
        if (version > _version)
        {
            _balance = balance;
            _held = held;
            _version = version;
        }
    }

    private void RollLimitDay()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _limitDay)
        {
            _limitDay = today;
            _sentCommittedToday = 0;
        }
    }

    private PaymentError? ValidateTransfer(TransferCommand command, out UserId recipient)
    {
        recipient = default;
        if (command.Amount is < TransferLimits.MinAmount or > TransferLimits.MaxAmount)
        {
            return new PaymentError(ErrorCodes.InvalidAmount, $"amount must be between {TransferLimits.MinAmount} and {TransferLimits.MaxAmount} minor units.", "amount");
        }

        if (command.Currency != s_currency)
        {
            return new PaymentError(ErrorCodes.CurrencyMismatch, $"This wallet holds {s_currency}.", "currency");
        }

        if (FreeText.CharacterCount(command.Note) > TransferLimits.MaxNoteLength)
        {
            return PaymentError.Validation("note", $"note is at most {TransferLimits.MaxNoteLength} characters.");
        }

        if (!FreeText.IsStorable(command.Note))
        {
            return PaymentError.Validation("note", FreeText.NotStorableMessage("note"));
        }

        if (command.Visibility is not null && !Visibility.IsValid(command.Visibility))
        {
            return PaymentError.Validation("visibility", "visibility is one of public, friends, private.");
        }

        if (!UserId.TryParse(command.RecipientId, out recipient))
        {
            return new PaymentError(ErrorCodes.RecipientNotFound, "The recipient does not exist.", "to");
        }

        return recipient == _user ? new PaymentError(ErrorCodes.InvalidRecipient, "You cannot send money to yourself.", "to") : null;
    }

    private static PaymentError? ValidateMovement(long amount) =>
        amount is < WalletLimits.MinMovement or > WalletLimits.MaxMovement
            ? new PaymentError(ErrorCodes.InvalidAmount, $"amount must be between {WalletLimits.MinMovement} and {WalletLimits.MaxMovement} minor units.", "amount")
            : null;

    private WalletView View() => new(_balance, Math.Max(0, Available), _held, s_currency, _status);

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "This wallet does not exist.");

    private static IdempotentOutcome Unrecorded(PaymentError error) => new(error.ToResponse(), null);

    /// <summary>PostgreSQL keeps microseconds; responses carry the same instant the rows do.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(1, LogLevel.Warning, "Wallet of {UserId} is now {Status}")]
    private static partial void LogStatusChanged(ILogger logger, string userId, string status);

    [LoggerMessage(2, LogLevel.Warning, "Commit of {TransactionId} for wallet {UserId} has an unknown outcome; rereading the row")]
    private static partial void LogCommitUnknown(ILogger logger, Exception error, string userId, string transactionId);
}
