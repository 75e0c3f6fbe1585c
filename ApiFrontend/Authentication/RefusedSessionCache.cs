using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Session keys this front end saw refused (unknown, expired or revoked), for a short while and in bounded memory, so
/// a token presented again is refused without a grain call. A refused session never becomes valid again (tokens are
/// random and a revoked or expired session stays so), so a stale entry can only refuse what would be refused anyway.
/// Revocations pushed by the database (<see cref="Notifications.NotificationListener"/>) are added too.
/// </summary>
public sealed class RefusedSessionCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly TimeSpan _lifetime;

    public RefusedSessionCache(IOptions<SessionAuthenticationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lifetime = options.Value.RefusedSessionCacheTime;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.RefusedSessionCacheSize });
    }

    public bool Contains(string sessionKey) => _lifetime > TimeSpan.Zero && _cache.TryGetValue(sessionKey, out _);

    public void Add(string sessionKey)
    {
        if (_lifetime > TimeSpan.Zero)
        {
            _cache.Set(sessionKey, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _lifetime });
        }
    }

    public void Dispose() => _cache.Dispose();
}
