using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Transfers;
using Orleans;
using Orleans.Concurrency;

namespace Payments.Grains.Interfaces.Wallets;

/// <summary>
/// A user's USD wallet (key: user id). Admits debits against its cached balance in one synchronous segment and
/// hands them to the silo's ledger writer; the database row stays the truth.
/// </summary>
[Alias("wallet")]
public interface IWalletGrain : IGrainWithStringKey
{
    Task<Outcome<WalletView>> Get();

    /// <summary>Sends money; the stored response is 201 with a <see cref="TransferReceipt"/> or a 4xx error.</summary>
    Task<IdempotentOutcome> Send(TransferCommand command, IdempotencyStamp stamp);

    /// <summary>Pulls money from the linked bank account; 201 with a <see cref="MovementReceipt"/>.</summary>
    Task<IdempotentOutcome> Deposit(DepositCommand command, IdempotencyStamp stamp);

    /// <summary>Pays out to the linked bank account; 201 with a <see cref="MovementReceipt"/>.</summary>
    Task<IdempotentOutcome> Withdraw(WithdrawalCommand command, IdempotencyStamp stamp);

    /// <summary>Newest first; <paramref name="startingAfter"/> is the id of the last entry of the previous page.</summary>
    Task<Outcome<HistoryPage>> History(int limit, string? startingAfter);

    /// <summary>A transfer this wallet's user sent or received; NOT_FOUND otherwise.</summary>
    Task<Outcome<TransferView>> GetTransfer(string transferId);

    /// <summary>
    /// The user's default visibility (public, friends or private), applied to sends that name none. The wallet is the
    /// one writer of this setting, so the value it caches for sends is never older than what it answers here.
    /// </summary>
    Task<Outcome<string>> GetDefaultVisibility();

    /// <summary>Sets the default visibility; VALIDATION_ERROR (field defaultVisibility) for anything but public, friends or private.</summary>
    Task<Outcome<string>> SetDefaultVisibility(string visibility);

    /// <summary>Operator action: frozen wallets refuse sends and withdrawals.</summary>
    Task<Outcome<WalletView>> SetFrozen(bool frozen);

    /// <summary>
    /// Told by the ledger writer after a commit that touched this wallet (its balance or its holds); older versions are
    /// ignored. One-way: a hint sent for every wallet of every batch, whose loss only means the wallet reads its row
    /// when it next needs more funds, so no answer is worth its message.
    /// </summary>
    [OneWay]
    Task ObserveCommittedRow(long balance, long held, long version);
}
