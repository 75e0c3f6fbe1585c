using Orleans;

namespace Payments.Benchmarks.Transfers.OrleansTx;

/// <summary>An orleans-tx wallet's balance in minor units, the state Orleans Transactions keep for it.</summary>
[GenerateSerializer]
public sealed class TxBalance
{
    [Id(0)]
    public long Value { get; set; }
}
