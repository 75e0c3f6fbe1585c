namespace Payments.Grains.Interfaces.CardWallet;

/// <summary>
/// A card in the wallet: a network token bound to one device. It shows the network's token reference, the card's
/// last four digits and expiry, never the card number.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CardView(
    string Id,
    string DeviceId,
    string Network,
    string TokenReference,
    string Last4,
    int ExpMonth,
    int ExpYear,
    string CardholderName,
    string Kind,
    string Art,
    string Status,
    string? StatusReason,
    bool IsDefault,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable]
public sealed record CardPage(IReadOnlyList<CardView> Data, bool HasMore);

/// <summary>202 to a provisioning the network wants verified: the card's id and how a code can be sent.</summary>
[GenerateSerializer, Immutable]
public sealed record VerificationRequiredView(string CardId, string Status, IReadOnlyList<string> Methods, CardView Card);

/// <summary>One line of a card's audit trail: what happened, who did it (a user, the system), when, and details.</summary>
[GenerateSerializer, Immutable]
public sealed record CardEventView(int Sequence, string Type, string Actor, IReadOnlyDictionary<string, string> Detail, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record CardEventPage(IReadOnlyList<CardEventView> Data, bool HasMore);

/// <summary>A merchant payment made with the card, as its holder sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record CardTransactionView(string PaymentId, string MerchantName, long Amount, string Currency, string Status, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable]
public sealed record CardTransactionPage(IReadOnlyList<CardTransactionView> Data, bool HasMore);

/// <summary>Card statuses: a token waiting for its holder's code, usable, paused, or gone for good.</summary>
public static class CardStatus
{
    public const string PendingVerification = "pending_verification";
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Removed = "removed";
}

/// <summary>Limits of the card wallet.</summary>
public static class CardWalletLimits
{
    public const int MaxDevicesPerUser = 10;
    public const int MaxCardsPerDevice = 10;
    public const int MaxDeviceNameLength = 64;
    public const int MaxCardholderNameLength = 100;
    public const int MaxReasonLength = 200;
    public const int VerificationAttempts = 3;
    public static readonly IReadOnlyList<string> VerificationMethods = ["sms", "email"];
}
