using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Payments.Grains.Interfaces.Users;

/// <summary>
/// Profiles found by id or by username. A profile never changes once created, so one found stays true: the user
/// directory keeps a cache in front of the database, and the REST front end one in front of the directory (a transfer
/// then resolves its recipient without a grain call). Bounded: when full it starts over, which costs a lookup per user
/// again, never a wrong answer. Misses are not kept: the user may register a moment later.
/// </summary>
public sealed class UserProfileCache
{
    private readonly ConcurrentDictionary<string, UserProfile> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserProfile> _byUsername = new(StringComparer.Ordinal);
    private readonly int _capacity;
    // Counted here: ConcurrentDictionary.Count takes every lock of the dictionary.
    private int _count;

    public UserProfileCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <param name="id">The id as <see cref="Identity.UserId.Key"/> spells it.</param>
    public bool TryGetById(string id, [MaybeNullWhen(false)] out UserProfile profile) => _byId.TryGetValue(id, out profile);

    /// <param name="username">The name as <see cref="Identity.Username.Value"/> spells it.</param>
    public bool TryGetByUsername(string username, [MaybeNullWhen(false)] out UserProfile profile) => _byUsername.TryGetValue(username, out profile);

    /// <summary>Keeps a profile that was found, and passes it (or the miss) on.</summary>
    public UserProfile? Remember(UserProfile? profile)
    {
        if (profile is null)
        {
            return null;
        }

        if (Volatile.Read(ref _count) >= _capacity)
        {
            _byId.Clear();
            _byUsername.Clear();
            Volatile.Write(ref _count, 0);
        }

        if (_byId.TryAdd(profile.Id, profile))
        {
            Interlocked.Increment(ref _count);
        }

        _byUsername[profile.Username] = profile;
        return profile;
    }
}
