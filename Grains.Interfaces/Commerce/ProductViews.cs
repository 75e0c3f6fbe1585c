namespace Payments.Grains.Interfaces.Commerce;

/// <summary>
/// A product as listings and its merchant see it. <c>UnitsAvailable</c> is the read model of its stock, written after
/// each stock transaction commits: a listing may trail the stock grain by a moment, never the other way round.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProductView(
    string Id,
    string Merchant,
    string Name,
    string Description,
    long Price,
    string Currency,
    bool Active,
    int UnitsAvailable,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt);

[GenerateSerializer, Immutable]
public sealed record ProductPage(IReadOnlyList<ProductView> Data, bool HasMore);

/// <summary>A new product: its catalog fields and its first units.</summary>
[GenerateSerializer, Immutable]
public sealed record NewProduct(string Name, string Description, long Price, string Currency, int Units);

/// <summary>Catalog fields to change; null leaves a field as it is.</summary>
[GenerateSerializer, Immutable]
public sealed record ProductChanges(string? Name, string? Description, long? Price, bool? Active);

/// <summary>A listing query: a merchant's or everyone's listed products, a name filter, newest first from a cursor.</summary>
[GenerateSerializer, Immutable]
public sealed record ProductQuery(string? Merchant, string? Text, int Limit, string? StartingAfter);

/// <summary>Bounds on products and orders.</summary>
public static class CommerceLimits
{
    public const int MaxNameLength = 120;
    public const int MaxDescriptionLength = 2_000;
    public const long MaxPrice = 100_000_000;
    public const int MaxUnits = 1_000_000;
    public const int MaxOrderLines = 20;
    public const int MaxLineQuantity = 100;
    public const int MaxShippingAddressLength = 500;
}
