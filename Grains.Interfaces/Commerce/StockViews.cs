namespace Payments.Grains.Interfaces.Commerce;

/// <summary>
/// A product's stock as one transaction left it: units for sale, units reserved by orders in flight, units sold, and
/// the version (one more per change) that orders the read model's updates.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StockLevel(string Product, int Available, int Reserved, int Sold, long Version);

/// <summary>One line of an order to reserve: a product and how many of it.</summary>
[GenerateSerializer, Immutable]
public sealed record StockRequest(string Product, int Quantity);

/// <summary>
/// Thrown inside a stock transaction when a product has fewer units than asked: it aborts the whole transaction, so
/// no line of the order stays reserved.
/// </summary>
[GenerateSerializer]
public sealed class OutOfStockException : Exception
{
    public OutOfStockException()
    {
    }

    public OutOfStockException(string message) : base(message)
    {
    }

    public OutOfStockException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public OutOfStockException(string product, int requested, int available)
        : base($"Product {product} has {available} units; {requested} were asked for.")
    {
        Product = product;
    }

    [Id(0)]
    public string? Product { get; init; }
}
