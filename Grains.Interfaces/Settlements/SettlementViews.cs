namespace Payments.Grains.Interfaces.Settlements;

/// <summary>Money moved from a merchant's pending balance to its available balance: the net of the ledger rows up to <c>Cutoff</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record SettlementView(string Id, long Amount, string Currency, DateTimeOffset Cutoff, DateTimeOffset CreatedAt);

/// <summary>
/// Money on its way to a merchant's bank: <c>pending</c> until the bank confirms (<c>paid</c>) or refuses it for good
/// (<c>failed</c>, with <c>FailureCode</c>; the money is back in the available balance).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MerchantPayoutView(
    string Id,
    long Amount,
    string Currency,
    string Status,
    string? SettlementId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? FailedAt,
    string? FailureCode,
    string? FailureMessage);

[GenerateSerializer, Immutable]
public sealed record MerchantPayoutPage(IReadOnlyList<MerchantPayoutView> Data, bool HasMore);

/// <summary>What a settlement run did: the settlement it made and the payout it created, either null when there was nothing to do.</summary>
[GenerateSerializer, Immutable]
public sealed record SettlementRun(string MerchantId, SettlementView? Settlement, MerchantPayoutView? Payout);

/// <summary>The statuses of a merchant payout.</summary>
public static class MerchantPayoutStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Paid, Failed];
}
