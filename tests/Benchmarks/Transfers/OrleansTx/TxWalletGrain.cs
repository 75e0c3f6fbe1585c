using Orleans;
using Orleans.Transactions.Abstractions;
using Payments.Silo.Hosting;

namespace Payments.Benchmarks.Transfers.OrleansTx;

/// <summary>
/// <see cref="ITxWalletGrain"/> over ADO.NET grain storage on the cluster's PostgreSQL (the silo's grain storage),
/// so it pays the same durable commits the ledger does.
/// </summary>
public sealed class TxWalletGrain(
    [TransactionalState("balance", SiloHostingExtensions.GrainStorageName)] ITransactionalState<TxBalance> balance) : Grain, ITxWalletGrain
{
    public Task<bool> Withdraw(long amount) => balance.PerformUpdate(state =>
    {
        if (state.Value < amount)
        {
            return false;
        }

        state.Value -= amount;
        return true;
    });

    public Task Deposit(long amount) => balance.PerformUpdate(state => state.Value += amount);

    public Task<long> Balance() => balance.PerformRead(state => state.Value);
}
