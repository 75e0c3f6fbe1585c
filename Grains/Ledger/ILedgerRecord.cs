using Npgsql;

namespace Payments.Grains.Ledger;

/// <summary>
/// What an entry records beside the ledger (a payment's row and event, a settlement's rows), written in the entry's
/// transaction only if the entry is accepted. A batch writes the records of one type together, so a type can write all
/// of them as one statement per table: in PostgreSQL a statement's fixed cost (opening its table's indexes, preparing
/// its checks) is several times a row's.
/// </summary>
public interface ILedgerRecord
{
    /// <summary>
    /// Statements writing <paramref name="sameType"/>: the batch's accepted records of this record's type, this one
    /// among them, in the order of their entries. Called anew for each attempt, since a refused batch is retried entry
    /// by entry and a statement belongs to one batch.
    /// </summary>
    IEnumerable<NpgsqlBatchCommand> WriteCommands(IReadOnlyList<ILedgerRecord> sameType);
}
