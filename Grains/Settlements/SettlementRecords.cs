using Npgsql;
using Payments.Grains.Interfaces.Settlements;
using Payments.Grains.Ledger;

namespace Payments.Grains.Settlements;

/// <summary>A settlement run's rows (the settlement and its payout), written with the ledger entry that moves their money.</summary>
public sealed record SettlementRecord(string MerchantId, SettlementWindow Window, SettlementView? Settlement, MerchantPayoutView? Payout) : ILedgerRecord
{
    public IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType) =>
        sameType.Cast<SettlementRecord>().SelectMany(run => SettlementStore.SettleCommands(run.MerchantId, run.Window, run.Settlement, run.Payout));
}

/// <summary>A payout the bank refused, marked failed with its event, written with the ledger entry that returns its money.</summary>
public sealed record PayoutFailureRecord(string MerchantId, MerchantPayoutView Failed) : ILedgerRecord
{
    public IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType) =>
        sameType.Cast<PayoutFailureRecord>().SelectMany(failure => SettlementStore.FailCommands(failure.MerchantId, failure.Failed));
}
