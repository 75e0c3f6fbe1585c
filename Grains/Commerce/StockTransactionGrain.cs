using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Commerce;
using Payments.Infrastructure.References;

namespace Payments.Grains.Commerce;

/// <summary>
/// Starts each stock transaction (see <see cref="IStockTransactionGrain"/>). Lines go to their stock grains one at a
/// time in product order, so two orders over the same products take their locks in the same order.
/// </summary>
[StatelessWorker]
[GrainType("stock-transactions")]
public sealed class StockTransactionGrain : Grain, IStockTransactionGrain
{
    public Task<IReadOnlyList<StockLevel>> Reserve(string orderId, IReadOnlyList<StockRequest> lines)
    {
        var quantities = lines.ToDictionary(line => line.Product, line => line.Quantity, StringComparer.Ordinal);
        return EachAsync(quantities.Keys, product => Stock(product).Reserve(orderId, quantities[product]));
    }

    public Task<IReadOnlyList<StockLevel>> Release(string orderId, IReadOnlyList<string> products) => EachAsync(products, product => Stock(product).Release(orderId));

    public Task<IReadOnlyList<StockLevel>> Sell(string orderId, IReadOnlyList<string> products) => EachAsync(products, product => Stock(product).Sell(orderId));

    public Task<StockLevel> Add(string product, int units) => Stock(product).Add(units);

    private IProductStockGrain Stock(string product) => GrainFactory.Reference<IProductStockGrain>(product);

    private static async Task<IReadOnlyList<StockLevel>> EachAsync(IEnumerable<string> products, Func<string, Task<StockLevel>> change)
    {
        var levels = new List<StockLevel>();
        foreach (var product in products.Order(StringComparer.Ordinal))
        {
            levels.Add(await change(product));
        }

        return levels;
    }
}
