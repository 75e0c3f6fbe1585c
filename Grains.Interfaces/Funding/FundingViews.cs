namespace Payments.Grains.Interfaces.Funding;

/// <summary>
/// Where a send can draw money from besides the wallet's balance: the linked bank account (<c>bank</c>) or an active
/// card of the card wallet (its id). The default one, if the user chose one, covers a send larger than the balance.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FundingSourceView(string Id, string Type, string Description, bool IsDefault);

[GenerateSerializer, Immutable]
public sealed record FundingSourcePage(IReadOnlyList<FundingSourceView> Data, bool HasMore);

/// <summary>One part of how a transfer was paid: <c>balance</c>, <c>bank</c> or a card's id, and how much.</summary>
[GenerateSerializer, Immutable]
public sealed record FundingLine(string Source, long Amount);

/// <summary>Funding source ids and types.</summary>
public static class FundingSources
{
    public const string Balance = "balance";
    public const string Bank = "bank";
    public const string Card = "card";
}
