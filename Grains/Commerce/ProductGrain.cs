using Orleans;
using Orleans.Transactions;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;
using Payments.Infrastructure.References;

namespace Payments.Grains.Commerce;

/// <summary>
/// A product's catalog (see <see cref="IProductGrain"/>). Each change and its audit record commit together; a restock
/// is a stock transaction first, then its read-model level and audit record (Orleans transactions keep their state in
/// grain storage, so the two cannot share one PostgreSQL transaction; the read model takes levels by version).
/// </summary>
[GrainType("product")]
public sealed class ProductGrain(ProductStore store, TimeProvider time) : Grain, IProductGrain
{
    private ProductView? _product;
    private bool _loaded;

    private string Id => this.GetPrimaryKeyString();

    public async Task<Outcome<ProductView>> Create(string merchantId, string actor, NewProduct product)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (await LoadAsync() is not null)
        {
            throw new InvalidOperationException($"Product {Id} exists; ids are new for each creation.");
        }

        var merchant = await GrainFactory.Reference<IMerchantGrain>(merchantId).Describe();
        if (merchant.Error is { } unknown)
        {
            return unknown;
        }

        if (merchant.Value!.DefaultCurrency != product.Currency)
        {
            return new PaymentError(ErrorCodes.CurrencyMismatch, $"This merchant sells in {merchant.Value.DefaultCurrency}.", "currency");
        }

        var now = time.GetUtcNow();
        var created = new ProductView(Id, merchantId, product.Name, product.Description, product.Price, product.Currency, true, 0, now, now, null);
        await store.SaveAsync([ProductStore.Insert(created), AuditRecords.Insert(merchantId, actor, "product.created", "product", Id, null, created, now)]);
        _product = created;
        return product.Units > 0 ? await AddUnitsAsync(actor, product.Units) : created;
    }

    public async Task<Outcome<ProductView>> Update(string merchantId, string actor, ProductChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (await OwnedAsync(merchantId) is not { } product)
        {
            return NotFound();
        }

        var changed = product with
        {
            Name = changes.Name ?? product.Name,
            Description = changes.Description ?? product.Description,
            Price = changes.Price ?? product.Price,
            Active = changes.Active ?? product.Active,
        };
        return changed == product ? product : await SaveAsync(product, changed with { UpdatedAt = time.GetUtcNow() }, actor, "product.updated");
    }

    public async Task<Outcome<ProductView>> Restock(string merchantId, string actor, int units) =>
        await OwnedAsync(merchantId) is null ? NotFound() : await AddUnitsAsync(actor, units);

    public async Task<Outcome<ProductView>> Delete(string merchantId, string actor)
    {
        if (await OwnedAsync(merchantId) is not { } product)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        return product.DeletedAt is not null ? product : await SaveAsync(product, product with { Active = false, DeletedAt = now, UpdatedAt = now }, actor, "product.deleted");
    }

    public async Task<Outcome<ProductView>> Get() => await LoadAsync() is { } product ? product : NotFound();

    private async Task<ProductView> SaveAsync(ProductView before, ProductView after, string actor, string action)
    {
        await store.SaveAsync([ProductStore.Update(after), AuditRecords.Insert(after.Merchant, actor, action, "product", Id, before, after, after.UpdatedAt)]);
        _product = after;
        return after;
    }

    private async Task<Outcome<ProductView>> AddUnitsAsync(string actor, int units)
    {
        StockLevel level;
        try
        {
            level = await GrainFactory.GetGrain<IStockTransactionGrain>(0).Add(Id, units);
        }
        catch (OrleansTransactionAbortedException aborted) when (aborted.InnerException is ArgumentOutOfRangeException)
        {
            // The stock refused inside its transaction (the cap is checked against the level it locked): nothing changed.
            return PaymentError.Validation("units", $"A product holds at most {CommerceLimits.MaxUnits} units for sale; this restock would pass that.");
        }

        var now = time.GetUtcNow();
        await store.SaveAsync([
            ProductStore.PublishStock(level),
            AuditRecords.Insert(_product!.Merchant, actor, "stock.restocked", "product", Id, new { available = level.Available - units }, new { available = level.Available, added = units }, now)]);
        _product = await store.GetAsync(Id) ?? throw new InvalidOperationException($"Product {Id} vanished.");
        return _product;
    }

    /// <summary>The product if <paramref name="merchantId"/> sells it and it is not deleted.</summary>
    private async Task<ProductView?> OwnedAsync(string merchantId) =>
        await LoadAsync() is { } product && product.Merchant == merchantId && product.DeletedAt is null ? product : null;

    private async Task<ProductView?> LoadAsync()
    {
        if (!_loaded)
        {
            _product = await store.GetAsync(Id);
            _loaded = true;
        }

        return _product;
    }

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such product.");
}
