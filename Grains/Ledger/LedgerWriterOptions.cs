using Payments.Infrastructure.Postgres;

namespace Payments.Grains.Ledger;

/// <summary>Group commit settings (section <c>Payments:Ledger</c>).</summary>
public sealed class LedgerWriterOptions
{
    public const string SectionName = "Payments:Ledger";

    /// <summary>Most entries in one database transaction. Default 1,024.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>Entries waiting for a committer; submitters wait when it is full. Default 65,536.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>
    /// Committed batches whose answers wait for the WAL flush (see <see cref="WalFlushBarrier"/>); committers wait
    /// when this many are outstanding. Default 64.
    /// </summary>
    public int MaxBatchesAwaitingFlush { get; set; } = 64;

    /// <summary>How long committed idempotency records are kept. Default 24 h.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}
