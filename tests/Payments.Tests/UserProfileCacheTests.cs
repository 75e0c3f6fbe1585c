using Payments.Grains.Interfaces.Users;
using Xunit;

namespace Payments.Tests;

/// <summary>The profile cache the user directory and the REST front end keep.</summary>
public sealed class UserProfileCacheTests
{
    [Fact]
    public void A_found_profile_is_kept_by_id_and_username_and_a_miss_is_not()
    {
        var cache = new UserProfileCache(capacity: 10);
        var alice = new UserProfile("6f1c2d44-5c1e-4f0a-9a57-3b2d1f0e9c11", "alice", "Alice");

        Assert.Null(cache.Remember(null));
        Assert.False(cache.TryGetById(alice.Id, out _));
        Assert.Same(alice, cache.Remember(alice));

        Assert.True(cache.TryGetById(alice.Id, out var byId));
        Assert.True(cache.TryGetByUsername("alice", out var byName));
        Assert.Same(alice, byId);
        Assert.Same(alice, byName);
        Assert.False(cache.TryGetByUsername("bob", out _));
    }

    [Fact]
    public void A_full_cache_starts_over_and_never_holds_more_than_its_capacity()
    {
        var cache = new UserProfileCache(capacity: 3);
        var profiles = Enumerable.Range(0, 4).Select(i => new UserProfile($"00000000-0000-0000-0000-00000000000{i}", $"user{i}", $"User {i}")).ToArray();

        foreach (var profile in profiles)
        {
            cache.Remember(profile);
        }

        // The fourth found the cache full: only it is left, by both keys.
        Assert.All(profiles[..3], profile => Assert.False(cache.TryGetById(profile.Id, out _)));
        Assert.All(profiles[..3], profile => Assert.False(cache.TryGetByUsername(profile.Username, out _)));
        Assert.True(cache.TryGetById(profiles[3].Id, out _));
        Assert.True(cache.TryGetByUsername(profiles[3].Username, out _));
    }
}
