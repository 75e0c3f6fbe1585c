using Payments.Grains.Interfaces.Errors;

namespace Payments.Grains.Interfaces.Commerce;

/// <summary>
/// A product's catalog (key: its id, "prod_…"): name, description, price, active, soft delete, each change written
/// with its audit record. Changes are its merchant's; any other merchant gets NOT_FOUND.
/// </summary>
[Alias("product")]
public interface IProductGrain : IGrainWithStringKey
{
    Task<Outcome<ProductView>> Create(string merchantId, string actor, NewProduct product);

    Task<Outcome<ProductView>> Update(string merchantId, string actor, ProductChanges changes);

    /// <summary>Adds units to the stock (an Orleans transaction on the product's stock grain), then records it.</summary>
    Task<Outcome<ProductView>> Restock(string merchantId, string actor, int units);

    /// <summary>Soft delete: out of listings, readable by id, its stock left as it is.</summary>
    Task<Outcome<ProductView>> Delete(string merchantId, string actor);

    /// <summary>The product, deleted or not: an order's product stays readable.</summary>
    Task<Outcome<ProductView>> Get();
}

/// <summary>
/// A product's stock (key: the product's id) as Orleans transactional state. Every method joins the caller's
/// transaction: turn-based concurrency and the transaction's locks serialize them, and no row is locked.
/// </summary>
[Alias("product-stock")]
public interface IProductStockGrain : IGrainWithStringKey
{
    /// <summary>Takes the units for the order, or throws <see cref="OutOfStockException"/>; a repeat for the same order changes nothing.</summary>
    [Transaction(TransactionOption.Join)]
    Task<StockLevel> Reserve(string orderId, int quantity);

    /// <summary>Gives the order's reserved units back; nothing if it holds none.</summary>
    [Transaction(TransactionOption.Join)]
    Task<StockLevel> Release(string orderId);

    /// <summary>The order's reserved units are sold; nothing if it holds none.</summary>
    [Transaction(TransactionOption.Join)]
    Task<StockLevel> Sell(string orderId);

    [Transaction(TransactionOption.Join)]
    Task<StockLevel> Add(int units);
}

/// <summary>
/// Starts the stock transactions (a stateless worker: any silo, no state). Each method is one Orleans transaction over
/// the stock grains it names: all of them change, or none. Their answers are committed levels.
/// </summary>
[Alias("stock-transactions")]
public interface IStockTransactionGrain : IGrainWithIntegerKey
{
    [Transaction(TransactionOption.Create)]
    Task<IReadOnlyList<StockLevel>> Reserve(string orderId, IReadOnlyList<StockRequest> lines);

    [Transaction(TransactionOption.Create)]
    Task<IReadOnlyList<StockLevel>> Release(string orderId, IReadOnlyList<string> products);

    [Transaction(TransactionOption.Create)]
    Task<IReadOnlyList<StockLevel>> Sell(string orderId, IReadOnlyList<string> products);

    [Transaction(TransactionOption.Create)]
    Task<StockLevel> Add(string product, int units);
}

/// <summary>Listings and reads by id from the products' rows (a stateless worker with a short cache): no stock grain is touched.</summary>
[Alias("product-catalog")]
public interface IProductCatalogGrain : IGrainWithIntegerKey
{
    Task<Outcome<ProductPage>> List(ProductQuery query);

    Task<ProductView?> Find(string productId);
}
