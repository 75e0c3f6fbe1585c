using Microsoft.Extensions.Logging;
using Orleans;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.Merchants;
using Payments.Grains.Interfaces.Money;
using Payments.Grains.Interfaces.Settlements;
using Payments.Grains.Interfaces.Text;
using Payments.Infrastructure.References;

namespace Payments.Grains.Merchants;

/// <summary>
/// A merchant: its profile (cached from its row), its API keys and its balance. Keys are managed here so that each
/// change reaches the key's grain (and so every front end) before the owner gets the answer.
/// </summary>
[GrainType("merchant")]
public sealed partial class MerchantGrain(MerchantStore store, TimeProvider time, ILogger<MerchantGrain> logger) : Grain, IMerchantGrain
{
    private string? _ownerId;
    private MerchantView? _merchant;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (PrefixedId.IsValid(this.GetPrimaryKeyString(), PrefixedId.Merchant) && await store.LoadAsync(this.GetPrimaryKeyString()) is { } loaded)
        {
            (_ownerId, _merchant) = loaded;
        }
    }

    public async Task<Outcome<MerchantView>> Create(string ownerId, string name, string country, string defaultCurrency)
    {
        if (_merchant is not null || !PrefixedId.IsValid(this.GetPrimaryKeyString(), PrefixedId.Merchant))
        {
            throw new InvalidOperationException($"Merchant {this.GetPrimaryKeyString()} exists or is not a merchant id; ids are new for each creation.");
        }

        if (Validate(name, country, defaultCurrency) is { } invalid)
        {
            return invalid;
        }

        var merchant = new MerchantView(this.GetPrimaryKeyString(), name.Trim(), country, defaultCurrency, Now(), FraudSettings.Default);
        await store.CreateAsync(ownerId, merchant);
        (_ownerId, _merchant) = (ownerId, merchant);
        LogCreated(logger, merchant.Id, ownerId);
        await ScheduleSettlementAsync(merchant.Id);
        return merchant;
    }

    /// <summary>
    /// Starts the merchant's daily settlement. The merchant exists already, so a failure here is logged, not answered:
    /// an operator's run (or the first settlement run of any kind) schedules it too.
    /// </summary>
    private async Task ScheduleSettlementAsync(string merchantId)
    {
        try
        {
            await GrainFactory.Reference<ISettlementGrain>(merchantId).Schedule();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogScheduleFailed(logger, error, merchantId);
        }
    }

    public Task<Outcome<MerchantView>> Get(string ownerId) => Task.FromResult(Owned(ownerId) is { } error ? error : Outcome<MerchantView>.Success(_merchant!));

    public Task<Outcome<MerchantView>> Describe() => Task.FromResult(_merchant is null ? NotFound() : Outcome<MerchantView>.Success(_merchant));

    public async Task<Outcome<CreatedApiKey>> CreateApiKey(string ownerId)
    {
        if (Owned(ownerId) is { } error)
        {
            return error;
        }

        var live = (await store.ListApiKeysAsync(_merchant!.Id)).Count(key => key.RevokedAt is null && (key.ExpiresAt is null || key.ExpiresAt > time.GetUtcNow()));
        if (live >= MerchantLimits.MaxApiKeysPerMerchant)
        {
            return PaymentError.Validation("apiKeys", $"A merchant has at most {MerchantLimits.MaxApiKeysPerMerchant} live API keys; revoke one first.");
        }

        return await IssueAsync();
    }

    public async Task<Outcome<ApiKeyPage>> ListApiKeys(string ownerId)
    {
        if (Owned(ownerId) is { } error)
        {
            return error;
        }

        return new ApiKeyPage(await store.ListApiKeysAsync(_merchant!.Id), false);
    }

    public async Task<Outcome<ApiKeyView>> RevokeApiKey(string ownerId, string keyId)
    {
        if (await FindKeyAsync(ownerId, keyId) is not { } key)
        {
            return KeyNotFound();
        }

        await store.EndApiKeyAsync(key.Id, Now(), null);
        await GrainFactory.Reference<IApiKeyGrain>(key.Prefix).Reload();
        LogKeyEnded(logger, key.Id, _merchant!.Id, "revoked");
        return (await FindKeyAsync(ownerId, keyId))!;
    }

    public async Task<Outcome<CreatedApiKey>> RollApiKey(string ownerId, string keyId, TimeSpan gracePeriod)
    {
        if (gracePeriod < TimeSpan.Zero || gracePeriod > MerchantLimits.MaxRollGracePeriod)
        {
            return PaymentError.Validation("expiresInSeconds", $"expiresInSeconds is between 0 and {(long)MerchantLimits.MaxRollGracePeriod.TotalSeconds} (7 days).");
        }

        if (await FindKeyAsync(ownerId, keyId) is not { RevokedAt: null } key || key.ExpiresAt <= time.GetUtcNow())
        {
            return KeyNotFound();
        }

        // The new key exists before the old one starts to lapse, so the merchant is never without a working key.
        var issued = await IssueAsync();
        await store.EndApiKeyAsync(key.Id, null, Now() + gracePeriod);
        await GrainFactory.Reference<IApiKeyGrain>(key.Prefix).Reload();
        LogKeyEnded(logger, key.Id, _merchant!.Id, "rolled");
        return issued;
    }

    public async Task<Outcome<MerchantView>> SetFraudSettings(string ownerId, FraudSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Owned(ownerId) is { } error)
        {
            return error;
        }

        if (settings.Problem() is { } problem)
        {
            return PaymentError.Validation(problem.Field, problem.Message);
        }

        await store.SetFraudSettingsAsync(_merchant!.Id, settings);
        _merchant = _merchant with { Fraud = settings };
        LogFraudSettings(logger, _merchant.Id, settings.ReviewThreshold, settings.BlockThreshold, settings.AllowList.Count, settings.BlockList.Count);
        return _merchant;
    }

    public async Task<Outcome<MerchantBalance>> Balance()
    {
        if (_merchant is null)
        {
            return NotFound();
        }

        var balances = await store.BalancesAsync(_merchant.Id);
        return new MerchantBalance(
            [.. balances.Select(balance => new BalanceAmount(balance.Available, balance.Currency))],
            [.. balances.Select(balance => new BalanceAmount(balance.Pending, balance.Currency))]);
    }

    private async Task<CreatedApiKey> IssueAsync()
    {
        var secret = ApiKeySecret.New();
        var key = new ApiKeyView(PrefixedId.New(PrefixedId.ApiKey), ApiKeySecret.PrefixOf(secret), Now(), null, null);
        await store.InsertApiKeyAsync(_merchant!.Id, key, ApiKeySecret.Hash(secret));
        LogKeyIssued(logger, key.Id, _merchant.Id, key.Prefix);
        return new CreatedApiKey(key.Id, secret, key.Prefix, key.CreatedAt);
    }

    private async Task<ApiKeyView?> FindKeyAsync(string ownerId, string keyId) =>
        Owned(ownerId) is null && PrefixedId.IsValid(keyId, PrefixedId.ApiKey)
            ? (await store.ListApiKeysAsync(_merchant!.Id)).FirstOrDefault(key => key.Id == keyId)
            : null;

    private PaymentError? Owned(string ownerId) => _merchant is not null && _ownerId == ownerId ? null : NotFound();

    private static PaymentError? Validate(string name, string country, string currency)
    {
        if (string.IsNullOrWhiteSpace(name) || FreeText.CharacterCount(name.Trim()) > MerchantLimits.MaxNameLength || !FreeText.IsStorable(name))
        {
            return PaymentError.Validation("name", $"name is 1 to {MerchantLimits.MaxNameLength} characters of text.");
        }

        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
        {
            return PaymentError.Validation("country", "country is an ISO 3166-1 alpha-2 code in capitals, e.g. US.");
        }

        return Currency.TryParse(currency, out _) ? null : new PaymentError(ErrorCodes.InvalidCurrency, "defaultCurrency is not a supported ISO 4217 code.", "defaultCurrency");
    }

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such merchant.");

    private static PaymentError KeyNotFound() => new(ErrorCodes.NotFound, "No such live API key.");

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(1, LogLevel.Information, "Merchant {MerchantId} created by {UserId}")]
    private static partial void LogCreated(ILogger logger, string merchantId, string userId);

    [LoggerMessage(2, LogLevel.Information, "API key {KeyId} ({Prefix}) issued for merchant {MerchantId}")]
    private static partial void LogKeyIssued(ILogger logger, string keyId, string merchantId, string prefix);

    [LoggerMessage(3, LogLevel.Warning, "API key {KeyId} of merchant {MerchantId} {Change}")]
    private static partial void LogKeyEnded(ILogger logger, string keyId, string merchantId, string change);

    [LoggerMessage(4, LogLevel.Information, "Merchant {MerchantId} fraud settings: review at {ReviewThreshold}, block at {BlockThreshold}, {AllowEntries} allowed and {BlockEntries} blocked entries")]
    private static partial void LogFraudSettings(ILogger logger, string merchantId, int reviewThreshold, int blockThreshold, int allowEntries, int blockEntries);

    [LoggerMessage(5, LogLevel.Error, "The daily settlement of merchant {MerchantId} could not be scheduled; an operator's run schedules it")]
    private static partial void LogScheduleFailed(ILogger logger, Exception error, string merchantId);
}
