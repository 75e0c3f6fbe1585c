using Orleans;

namespace Payments.Benchmarks.Transfers.OrleansTx;

/// <summary>
/// A wallet whose balance is Orleans transactional state: the design's first idea for ACID transfers across wallet
/// grains, kept as a benchmark implementation so its cost against the ledger stays checkable. Keyed by wallet index.
/// </summary>
[Alias("bench.ITxWalletGrain")]
public interface ITxWalletGrain : IGrainWithIntegerKey
{
    /// <summary>Takes <paramref name="amount"/> if the balance covers it; false, and nothing taken, otherwise.</summary>
    [Transaction(TransactionOption.Join)]
    [Alias("Withdraw")]
    Task<bool> Withdraw(long amount);

    [Transaction(TransactionOption.Join)]
    [Alias("Deposit")]
    Task Deposit(long amount);

    [Transaction(TransactionOption.CreateOrJoin)]
    [Alias("Balance")]
    Task<long> Balance();
}
