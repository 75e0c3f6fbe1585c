using System.Security.Cryptography;
using Orleans;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Grains.Merchants;

/// <summary>
/// One API key, by prefix: its row cached, the secret's hash compared in constant time on every call, so a revoked
/// or lapsed key stops at once. A prefix with no key is collected as soon as it answers.
/// </summary>
[GrainType("api-key")]
public sealed class ApiKeyGrain(MerchantStore store, TimeProvider time) : Grain, IApiKeyGrain
{
    private StoredApiKey? _key;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => await Reload();

    public Task<ApiKeyIdentity?> Authenticate(byte[] secretHash)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        if (_key is null)
        {
            DeactivateOnIdle();
            return Task.FromResult<ApiKeyIdentity?>(null);
        }

        var matches = CryptographicOperations.FixedTimeEquals(_key.SecretHash, secretHash);
        var live = _key.EndsAt is not { } end || end > time.GetUtcNow();
        return Task.FromResult(matches && live ? _key.Identity : null);
    }

    public async Task Reload() => _key = await store.LoadApiKeyAsync(this.GetPrimaryKeyString());
}
