namespace Payments.Grains.Settlements;

/// <summary>
/// What a settlement would cover: the pending account's ledger rows after <paramref name="AfterSequence"/> (the last
/// settlement's end) up to <paramref name="ThroughSequence"/> (null when there are none old enough), their net
/// <paramref name="Net"/>, and the available account's balance and version as they were read.
/// </summary>
public sealed record SettlementWindow(long AfterSequence, long? ThroughSequence, long Net, long Available, long AvailableVersion);
