namespace Payments.Grains.Commerce;

/// <summary>
/// A product's stock as Orleans transactional state: units for sale, units each order in flight reserved, units sold.
/// <c>Version</c> grows by one per change, so the listings' read model can tell a later level from an earlier one.
/// </summary>
[GenerateSerializer]
public sealed class StockState
{
    [Id(0)]
    public int Available { get; set; }

    [Id(1)]
    public int Sold { get; set; }

    [Id(2)]
    public long Version { get; set; }

    [Id(3)]
    public Dictionary<string, int> Reservations { get; set; } = new(StringComparer.Ordinal);
}
