using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Payments.Grains.Interfaces.Users;

namespace Payments.ApiFrontend.Authentication;

/// <summary>
/// Sessions this front end found live, remembered for a short while in bounded memory, so that most requests
/// authenticate without asking the session grain. Remembering a live session is only safe while revocations are
/// heard: the cache answers only while <see cref="Notifications.NotificationListener"/> LISTENs to the revocation
/// channel, forgets everything when that connection drops, and drops a session when its revocation is heard (or when
/// this front end revokes it itself). An entry never outlives its session's expiry.
/// </summary>
/// <remarks>
/// A grain's answer can be older than a revocation heard while the call was in flight. Every revocation heard, and
/// every change of hearing, moves <see cref="Revocations"/> on; an answer is kept only if that count did not move
/// between the call and the store, checked after the store so that a concurrent revocation either sees the entry
/// (and removes it) or is seen by the check.
/// </remarks>
public sealed class AcceptedSessionCache : IDisposable
{
    private readonly MemoryCache _cache;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly RefusedSessionCache _refused;
    private long _revocations;
    private volatile bool _hearing;

    public AcceptedSessionCache(IOptions<SessionAuthenticationOptions> options, TimeProvider time, RefusedSessionCache refused)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lifetime = options.Value.AcceptedSessionCacheTime;
        _time = time;
        _refused = refused;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.AcceptedSessionCacheSize });
    }

    /// <summary>Moves on with every revocation heard and every change of hearing; read it before asking the grain.</summary>
    public long Revocations => Interlocked.Read(ref _revocations);

    public bool TryGet(string sessionKey, [NotNullWhen(true)] out AuthenticatedSession? session)
    {
        if (_hearing && _cache.TryGetValue(sessionKey, out session) && _time.GetUtcNow() < session!.ExpiresAt)
        {
            return true;
        }

        session = null;
        return false;
    }

    /// <summary>Remembers a live session the grain answered, unless a revocation was heard since <paramref name="revocationsSeen"/>.</summary>
    public void Add(string sessionKey, AuthenticatedSession session, long revocationsSeen)
    {
        ArgumentNullException.ThrowIfNull(session);
        var lifetime = session.ExpiresAt - _time.GetUtcNow();
        if (!_hearing || _lifetime <= TimeSpan.Zero || lifetime <= TimeSpan.Zero)
        {
            return;
        }

        _cache.Set(sessionKey, session, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime < _lifetime ? lifetime : _lifetime });
        if (Revocations != revocationsSeen)
        {
            _cache.Remove(sessionKey);
        }
    }

    /// <summary>The session was revoked: it is no longer accepted from memory, and is refused from memory for a while.</summary>
    public void Revoked(string sessionKey)
    {
        Interlocked.Increment(ref _revocations);
        _cache.Remove(sessionKey);
        _refused.Add(sessionKey);
    }

    /// <summary>The revocation channel is listened to from now on: sessions may be remembered.</summary>
    public void Hearing()
    {
        Interlocked.Increment(ref _revocations);
        _hearing = true;
    }

    /// <summary>Revocations may be missed from now on: forget every session and remember none until <see cref="Hearing"/>.</summary>
    public void Deaf()
    {
        _hearing = false;
        Interlocked.Increment(ref _revocations);
        _cache.Clear();
    }

    public void Dispose() => _cache.Dispose();
}
