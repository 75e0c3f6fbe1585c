using Payments.Grains.Interfaces.Fraud;

namespace Payments.Grains.Interfaces.Merchants;

/// <summary>A merchant as its owner sees it, with its fraud settings.</summary>
[GenerateSerializer, Immutable]
public sealed record MerchantView(string Id, string Name, string Country, string DefaultCurrency, DateTimeOffset CreatedAt, FraudSettings Fraud);

[GenerateSerializer, Immutable]
public sealed record MerchantPage(IReadOnlyList<MerchantView> Data, bool HasMore);

/// <summary>An API key as listed: never its secret. <c>ExpiresAt</c> is set once the key was rolled (its grace period).</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyView(string Id, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

[GenerateSerializer, Immutable]
public sealed record ApiKeyPage(IReadOnlyList<ApiKeyView> Data, bool HasMore);

/// <summary>A new API key with its secret: the only time the secret is shown.</summary>
[GenerateSerializer, Immutable]
public sealed record CreatedApiKey(string Id, string Secret, string Prefix, DateTimeOffset CreatedAt);

/// <summary>An amount of one currency in a balance.</summary>
[GenerateSerializer, Immutable]
public sealed record BalanceAmount(long Amount, string Currency);

/// <summary>
/// A merchant's money: <c>pending</c> is captured but not yet settled (refunds come out of it and may take it below
/// zero); <c>available</c> is settled and ready to pay out.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MerchantBalance(IReadOnlyList<BalanceAmount> Available, IReadOnlyList<BalanceAmount> Pending);

/// <summary>Who a request authenticated with an API key acts for.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyIdentity(string MerchantId, string KeyId);
