using Orleans;
using Orleans.Transactions;
using Payments.Benchmarks.Setup;

namespace Payments.Benchmarks.Transfers.OrleansTx;

/// <summary>
/// The orleans-tx implementation: one Orleans transaction per transfer (withdraw from one <see cref="ITxWalletGrain"/>,
/// deposit to another), started in the silo through <see cref="ITransactionClient"/>. A transient abort (lock
/// conflicts, a cascading abort after another transaction failed, a prepare timeout) is retried, as a client of
/// Orleans Transactions must, and counted; the retries' time stays in the transfer's latency.
/// </summary>
internal sealed class OrleansTxTransfers(IGrainFactory grains, ITransactionClient transactions)
{
    private const int MaxAttempts = 10;

    // Seeding and the audit touch this many wallets per transaction (a transaction per wallet took minutes).
    private const int WalletsPerTransaction = 100;

    private long _retries;
    private long _gaveUp;
    private long _inDoubt;

    /// <summary>Gives every wallet what <see cref="BenchmarkUsers.Funding"/> gives the ledger's wallet of the same index.</summary>
    public Task SeedAsync(int wallets) => ForEachBatchAsync(wallets, async batch =>
    {
        await Task.WhenAll(batch.Select(index => Wallet(index).Deposit(BenchmarkUsers.Funding(index))));
        return 0;
    });

    /// <summary>Sends <paramref name="amount"/>; false when refused (not enough money) or given up on (see <see cref="TakeCounts"/>).</summary>
    public async Task<bool> TransferAsync(int from, int to, long amount)
    {
        var withdrawn = false;
        var committed = await RunAsync(async () =>
        {
            // Both legs at once; a refused withdrawal returns false, which aborts the deposit with it.
            var withdrawal = Wallet(from).Withdraw(amount);
            await Wallet(to).Deposit(amount);
            withdrawn = await withdrawal;
            return withdrawn;
        });
        return committed && withdrawn;
    }

    /// <summary>
    /// Throws unless the wallets' balances, read in transactions, sum to what <see cref="SeedAsync"/> gave them:
    /// transfers move money between wallets and never create or lose any.
    /// </summary>
    public async Task AuditAsync(int wallets)
    {
        var expected = Enumerable.Range(0, wallets).Sum(index => BenchmarkUsers.Funding(index));
        var total = await ForEachBatchAsync(wallets, async batch => (await Task.WhenAll(batch.Select(index => Wallet(index).Balance()))).Sum());
        Console.WriteLine($"orleans-tx audit: {wallets} wallets hold {total}, seeded {expected}");
        if (total != expected)
        {
            throw new InvalidOperationException($"Orleans transactions did not conserve money: the wallets hold {total}, {expected} was seeded.");
        }
    }

    /// <summary>Transient aborts retried, transfers given up after <see cref="MaxAttempts"/> and in doubt, since the last call.</summary>
    public (long Retries, long GaveUp, long InDoubt) TakeCounts() =>
        (Interlocked.Exchange(ref _retries, 0), Interlocked.Exchange(ref _gaveUp, 0), Interlocked.Exchange(ref _inDoubt, 0));

    private ITxWalletGrain Wallet(int index) => grains.GetGrain<ITxWalletGrain>(index);

    /// <summary>Runs <paramref name="body"/> in a new transaction; true when it committed.</summary>
    private async Task<bool> RunAsync(Func<Task<bool>> body)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await transactions.RunTransaction(TransactionOption.Create, body);
                return true;
            }
            catch (OrleansTransactionTransientFailureException) when (attempt < MaxAttempts)
            {
                // OrleansCascadingAbortException is one of these: the transaction read state another one failed to commit.
                Interlocked.Increment(ref _retries);
            }
            catch (OrleansTransactionTransientFailureException)
            {
                Interlocked.Increment(ref _gaveUp);
                return false;
            }
            catch (OrleansTransactionInDoubtException)
            {
                // Committed or not, nobody can tell yet: not retried, as a payment whose outcome is unknown must not be.
                Interlocked.Increment(ref _inDoubt);
                return false;
            }
        }
    }

    /// <summary>Runs <paramref name="batch"/> over the wallets in transactions of <see cref="WalletsPerTransaction"/>, eight at a time; sums what they return.</summary>
    private async Task<long> ForEachBatchAsync(int wallets, Func<int[], Task<long>> batch)
    {
        long total = 0;
        var batches = Enumerable.Range(0, wallets).Chunk(WalletsPerTransaction).ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (indexes, _) =>
        {
            long result = 0;
            if (!await RunAsync(async () =>
                {
                    result = await batch(indexes);
                    return true;
                }))
            {
                throw new InvalidOperationException($"A transaction over wallets {indexes[0]}..{indexes[^1]} did not commit.");
            }

            Interlocked.Add(ref total, result);
        });
        return total;
    }
}
