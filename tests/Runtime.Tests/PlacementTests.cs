using Orleans.Payments.Runtime.Cluster;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Rendezvous placement by the key's first segment: a key's grains live together, and keys spread over the silos.</summary>
public sealed class PlacementTests
{
    private static readonly RendezvousPlacement s_threeSilos = new([new("10.0.0.1:11111", 1), new("10.0.0.2:11111", 1), new("10.0.0.3:11111", 1)]);

    [Fact]
    public void Grains_of_one_key_share_a_silo_whatever_their_type_and_suffix()
    {
        for (var i = 0; i < 200; i++)
        {
            var user = $"user-{i}";
            var wallet = s_threeSilos.Owner(new GrainId("IWalletGrain", user));
            Assert.Equal(wallet, s_threeSilos.Owner(new GrainId("IIdempotencyGrain", $"{user}/key-{i}")));
            Assert.Equal(wallet, s_threeSilos.Owner(new GrainId("IIdempotencyGrain", $"{user}/a/b")));
            Assert.Equal(wallet, s_threeSilos.Owner(new GrainId("INotificationGrain", user)));
        }
    }

    [Fact]
    public void Keys_spread_over_every_silo_and_only_a_leavers_keys_move()
    {
        var keys = Enumerable.Range(0, 3_000).Select(i => new GrainId("IWalletGrain", $"user-{i}")).ToArray();
        var owners = keys.Select(key => s_threeSilos.Owner(key)!.Value).ToArray();
        foreach (var silo in s_threeSilos.Silos)
        {
            // A fair share is 1,000 each; rendezvous hashing keeps every silo well within a few hundred of it.
            Assert.InRange(owners.Count(owner => owner == silo), 800, 1_200);
        }

        var leaver = s_threeSilos.Silos[1];
        var twoSilos = new RendezvousPlacement(s_threeSilos.Silos.Where(silo => silo != leaver));
        for (var i = 0; i < keys.Length; i++)
        {
            var after = twoSilos.Owner(keys[i])!.Value;
            Assert.True(owners[i] == leaver || after == owners[i], $"{keys[i]} moved from {owners[i]} to {after} though its silo stayed");
        }
    }

    [Theory]
    [InlineData("u", "u")]
    [InlineData("u/k", "u")]
    [InlineData("u/k/x", "u")]
    [InlineData("/k", "")]
    public void The_placement_key_is_the_key_up_to_its_first_slash(string key, string placementKey) =>
        Assert.Equal(placementKey, RendezvousPlacement.PlacementKey(new GrainId("T", key)).ToString());
}
