using Orleans;
using Orleans.Transactions.Abstractions;
using Payments.Grains.Interfaces.Commerce;

namespace Payments.Grains.Commerce;

/// <summary>
/// A product's stock (see <see cref="IProductStockGrain"/>). Units are never negative and never sold twice: a
/// reservation takes units only while enough are available, each order holds at most one reservation, and selling or
/// releasing ends it. The transaction's locks serialize the changes; there is no row lock anywhere.
/// </summary>
[GrainType("product-stock")]
public sealed class ProductStockGrain(
    [TransactionalState("stock", PaymentsGrains.GrainStorageName)] ITransactionalState<StockState> stock) : Grain, IProductStockGrain
{
    private string Id => this.GetPrimaryKeyString();

    public Task<StockLevel> Reserve(string orderId, int quantity)
    {
        if (quantity is < 1 or > CommerceLimits.MaxLineQuantity)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"A line reserves 1 to {CommerceLimits.MaxLineQuantity} units.");
        }

        return stock.PerformUpdate(state =>
        {
            if (!state.Reservations.ContainsKey(orderId))
            {
                if (state.Available < quantity)
                {
                    throw new OutOfStockException(Id, quantity, state.Available);
                }

                state.Available -= quantity;
                state.Reservations[orderId] = quantity;
                state.Version++;
            }

            return Level(state);
        });
    }

    public Task<StockLevel> Release(string orderId) => stock.PerformUpdate(state =>
    {
        if (state.Reservations.Remove(orderId, out var units))
        {
            state.Available = checked(state.Available + units);
            state.Version++;
        }

        return Level(state);
    });

    public Task<StockLevel> Sell(string orderId) => stock.PerformUpdate(state =>
    {
        if (state.Reservations.Remove(orderId, out var units))
        {
            state.Sold = checked(state.Sold + units);
            state.Version++;
        }

        return Level(state);
    });

    public Task<StockLevel> Add(int units)
    {
        if (units is < 1 or > CommerceLimits.MaxUnits)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, $"A restock adds 1 to {CommerceLimits.MaxUnits} units.");
        }

        return stock.PerformUpdate(state =>
        {
            if (state.Available > CommerceLimits.MaxUnits - units)
            {
                throw new ArgumentOutOfRangeException(nameof(units), units, $"A product holds at most {CommerceLimits.MaxUnits} units for sale.");
            }

            state.Available += units;
            state.Version++;
            return Level(state);
        });
    }

    private StockLevel Level(StockState state)
    {
        var reserved = state.Reservations.Values.Sum();
        if (state.Available < 0 || state.Sold < 0 || reserved < 0)
        {
            throw new InvalidOperationException($"Stock of {Id} broke its invariant: available {state.Available}, reserved {reserved}, sold {state.Sold}.");
        }

        return new StockLevel(Id, state.Available, reserved, state.Sold, state.Version);
    }
}
