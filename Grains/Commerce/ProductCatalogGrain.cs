using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Commerce;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Grains.Commerce;

/// <summary>
/// Listings (see <see cref="IProductCatalogGrain"/>): read from the products' rows, and kept for
/// <see cref="CommerceOptions.ListingCacheDuration"/> per query in each worker, so a storm of reads costs the
/// database about one query per distinct listing per worker and period, and never reaches a stock grain.
/// </summary>
[StatelessWorker]
[GrainType("product-catalog")]
public sealed class ProductCatalogGrain(ProductStore store, IOptions<CommerceOptions> options, TimeProvider time) : Grain, IProductCatalogGrain
{
    private const int MaxCachedListings = 1_000;

    private readonly ConcurrentDictionary<ProductQuery, (DateTimeOffset At, ProductPage Page)> _listings = new();

    public async Task<Outcome<ProductPage>> List(ProductQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Merchant is not null && !PrefixedId.IsValid(query.Merchant, PrefixedId.Merchant))
        {
            return new ProductPage([], false);
        }

        if (query.StartingAfter is not null && !PrefixedId.IsValid(query.StartingAfter, PrefixedId.Product))
        {
            return PaymentError.Validation("startingAfter", "startingAfter is a product id (prod_…).");
        }

        var now = time.GetUtcNow();
        if (_listings.TryGetValue(query, out var cached) && now - cached.At < options.Value.ListingCacheDuration)
        {
            return cached.Page;
        }

        var page = await store.ListAsync(query);
        if (_listings.Count >= MaxCachedListings)
        {
            _listings.Clear();
        }

        _listings[query] = (now, page);
        return page;
    }

    public async Task<ProductView?> Find(string productId) =>
        PrefixedId.IsValid(productId, PrefixedId.Product) ? await store.GetAsync(productId) : null;
}
