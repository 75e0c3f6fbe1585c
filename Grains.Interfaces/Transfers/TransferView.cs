namespace Payments.Grains.Interfaces.Transfers;

/// <summary>A transfer as the API shows it to its parties. <c>From</c> and <c>To</c> are user ids.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferView(
    string Id,
    string From,
    string To,
    long Amount,
    string Currency,
    string Note,
    string Visibility,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyList<Funding.FundingLine>? Funding = null);

/// <summary>The response to a transfer: the transfer and the sender's balance right after it.</summary>
[GenerateSerializer, Immutable]
public sealed record TransferReceipt(TransferView Transfer, long Balance);

/// <summary>Limits of a single transfer.</summary>
public static class TransferLimits
{
    public const long MinAmount = 1;
    public const long MaxAmount = 500_000;
    public const int MaxNoteLength = 280;
}
