using Orleans;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Fraud;

namespace Payments.Grains.Interfaces.Merchants;

/// <summary>
/// A merchant (key: its id, "mer_…"): its profile, its API keys and its balance. Only its owner manages it; anyone
/// else, as for an unknown id, gets NOT_FOUND.
/// </summary>
[Alias("merchant")]
public interface IMerchantGrain : IGrainWithStringKey
{
    /// <summary>Creates the merchant and its ledger accounts; the caller becomes its owner.</summary>
    Task<Outcome<MerchantView>> Create(string ownerId, string name, string country, string defaultCurrency);

    Task<Outcome<MerchantView>> Get(string ownerId);

    /// <summary>The merchant as its own API keys see it (no owner check: the key already names this merchant).</summary>
    Task<Outcome<MerchantView>> Describe();

    Task<Outcome<CreatedApiKey>> CreateApiKey(string ownerId);

    Task<Outcome<ApiKeyPage>> ListApiKeys(string ownerId);

    /// <summary>Revokes the key at once, on every front end (the key's grain forgets it).</summary>
    Task<Outcome<ApiKeyView>> RevokeApiKey(string ownerId, string keyId);

    /// <summary>Issues a new key; the rolled one stays valid for <paramref name="gracePeriod"/> (0 to 7 days), then stops.</summary>
    Task<Outcome<CreatedApiKey>> RollApiKey(string ownerId, string keyId, TimeSpan gracePeriod);

    /// <summary>Replaces the merchant's fraud thresholds and lists.</summary>
    Task<Outcome<MerchantView>> SetFraudSettings(string ownerId, FraudSettings settings);

    /// <summary>Pending and available amounts per currency, read from the ledger's accounts.</summary>
    Task<Outcome<MerchantBalance>> Balance();
}

/// <summary>The merchants a user owns (key: the user id), newest first.</summary>
[Alias("merchant-owner")]
public interface IMerchantOwnerGrain : IGrainWithStringKey
{
    Task<Outcome<MerchantPage>> List(int limit, string? startingAfter);
}

/// <summary>
/// One API key (key: its public prefix). Authenticates a secret's hash in constant time; an unknown prefix is
/// refused and the activation collected at once, so made-up keys do not pile up activations.
/// </summary>
[Alias("api-key")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    Task<ApiKeyIdentity?> Authenticate(byte[] secretHash);

    /// <summary>Rereads the key's row (after a revocation or a roll), so the change holds at once.</summary>
    Task Reload();
}

/// <summary>Limits of the merchant API's inputs.</summary>
public static class MerchantLimits
{
    public const int MaxNameLength = 100;
    public static readonly TimeSpan MaxRollGracePeriod = TimeSpan.FromDays(7);
    public const int MaxApiKeysPerMerchant = 20;
}
