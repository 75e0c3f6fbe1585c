using Payments.Infrastructure.Placement;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Requests;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.Grains.Idempotency;

/// <summary>
/// One caller's idempotency key. Non-reentrant: a concurrent repeat waits in the queue and then finds the first
/// request's answer here. The database is the arbiter across activations and crashes: the record commits with the
/// effect, a new activation reads it before running a command that acts outside the database first (a bank pull, a
/// card authorization), and a conflicting insert returns the record that stands.
/// </summary>
/// <remarks>
/// There is one activation per key. One whose call committed a ledger effect with its record (a transfer, deposit or
/// withdrawal, a merchant payment's change) deactivates as soon as it is idle: keeping it for its collection age cost
/// about a fifth of the transfer path's throughput (docs/benchmarks.md), and a repeat finds the record anyway (read
/// first, or met in the ledger as a duplicate). The others stay ten seconds idle, so a quick retry is answered from
/// memory. A later retry is answered from the stored record: whatever path it takes (the read, an admission refusal,
/// a ledger duplicate), the record that stands in the database is what it gets.
/// </remarks>
[CollectionAgeLimit("00:00:10")]
[UserAffinityPlacement]
[GrainType("idempotency")]
public sealed class IdempotencyGrain(IdempotencyRecordStore records) : Grain, IIdempotencyGrain
{
    private (string RequestHash, StoredResponse Response)? _record;

    public async Task<StoredResponse> Execute(IdempotentCommand command, string requestHash)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_record is null && ActsBeforeItsRecord(command))
        {
            // A new activation (this key's first call, or a repeat after the first activation answered and left) reads the
            // record before running: a command that asks a bank, an acquirer or a card network before its record commits
            // would otherwise ask again on a repeat (under a new external key when the balance or the body differs),
            // and the ledger's duplicate answer would not undo that.
            _record = await records.FindAsync(Stamp(command, requestHash));
        }

        if (_record is null)
        {
            var stamp = Stamp(command, requestHash);
            var outcome = await Run(command, stamp);
            if (outcome.RecordedHash is { } recordedHash)
            {
                _record = (recordedHash, outcome.Response);
                if (outcome.Committed)
                {
                    // See the remarks. Only after a fresh commit: repeats queued behind it move once to a new
                    // activation, which answers them from memory after finding the record (Orleans refuses a
                    // message moved twice).
                    DeactivateOnIdle();
                }
            }
            else if (!IsRetryable(outcome.Response))
            {
                // A refusal is an answer too: the same request gets it again, also after a restart.
                _record = await records.RecordAsync(stamp, outcome.Response);
            }
            else
            {
                return outcome.Response; // Retryable: nothing is recorded, the client retries with the same key.
            }
        }

        var (storedHash, response) = _record.Value;
        return storedHash == requestHash
            ? response
            : new PaymentError(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was used with a different request.", "Idempotency-Key").ToResponse();
    }

    private IdempotencyStamp Stamp(IdempotentCommand command, string requestHash)
    {
        var key = this.GetPrimaryKeyString();
        var scope = $"{command.UserId}/";
        if (!key.StartsWith(scope, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Idempotency grain {key} does not belong to user {command.UserId}.", nameof(command));
        }

        return new IdempotencyStamp(command.UserId, key[scope.Length..], requestHash);
    }

    private Task<IdempotentOutcome> Run(IdempotentCommand command, IdempotencyStamp stamp)
    {
        var wallet = GrainFactory.Reference<IWalletGrain>(command.UserId);
        return command switch
        {
            TransferCommand transfer => wallet.Send(transfer, stamp),
            DepositCommand deposit => wallet.Deposit(deposit, stamp),
            WithdrawalCommand withdrawal => wallet.Withdraw(withdrawal, stamp),

            // A new request's id is chosen when its creation runs; it commits with the record, so a retry that runs it
            // again saves nothing and gets the first answer. Paying records nothing itself: this grain records its answer.
            CreatePaymentRequestCommand create => GrainFactory.Reference<IPaymentRequestGrain>(SocialId.New()).Create(create, stamp),
            PayRequestCommand pay => GrainFactory.Reference<IPaymentRequestGrain>(pay.RequestId).Pay(pay),

            // A new payment's id is chosen when its creation runs, like a request's; a retry after a recorded answer never gets here.
            CreateMerchantPaymentCommand create => GrainFactory.Reference<IMerchantPaymentGrain>(PrefixedId.New(PrefixedId.Payment)).Create(create, stamp),
            ConfirmMerchantPaymentCommand confirm => GrainFactory.Reference<IMerchantPaymentGrain>(confirm.PaymentId).Confirm(confirm, stamp),
            CaptureMerchantPaymentCommand capture => GrainFactory.Reference<IMerchantPaymentGrain>(capture.PaymentId).Capture(capture, stamp),
            VoidMerchantPaymentCommand cancel => GrainFactory.Reference<IMerchantPaymentGrain>(cancel.PaymentId).Void(cancel, stamp),
            RefundMerchantPaymentCommand refund => GrainFactory.Reference<IMerchantPaymentGrain>(refund.PaymentId).Refund(refund, stamp),
            PlaceOrderCommand order => GrainFactory.Reference<IOrderGrain>(PrefixedId.New(PrefixedId.Order)).Place(order, stamp),
            ProvisionCardCommand provision => GrainFactory.Reference<ICardTokenGrain>(PrefixedId.New(PrefixedId.Card)).Provision(provision, stamp),
            _ => throw new ArgumentException($"Unknown idempotent command {command.GetType().Name}.", nameof(command)),
        };
    }

    private static bool IsRetryable(StoredResponse response) => response.Status is 429 or >= 500;

    /// <summary>
    /// Whether running <paramref name="command"/> may reach outside the database before its record commits. Only the
    /// changes of an authorized payment do not: their first effect is their ledger entry, which carries the record, so a
    /// repeat meets the record there (as a duplicate) or in <see cref="IdempotencyRecordStore.RecordAsync"/> (as a refusal).
    /// Any other command, and any command added later, reads the record first.
    /// </summary>
    private static bool ActsBeforeItsRecord(IdempotentCommand command) =>
        command is not (CaptureMerchantPaymentCommand or VoidMerchantPaymentCommand or RefundMerchantPaymentCommand);
}
