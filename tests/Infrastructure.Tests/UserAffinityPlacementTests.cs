using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime.Placement;
using Orleans.Serialization;
using Orleans.TestingHost;
using Payments.ApiFrontend.Idempotency;
using Payments.Grains.Idempotency;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Wallets;
using Payments.Grains.Wallets;
using Payments.Infrastructure.Placement;
using Payments.Infrastructure.Tests.Grains;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// The user-affinity placement director: rendezvous hashing of the key up to its first '/' over the compatible silos,
/// so a user's grains (wallet, "user/key" idempotency grains, friends, feed) activate on one silo.
/// </summary>
public sealed class UserAffinityPlacementTests
{
    private static readonly SiloAddress[] s_silos = Enumerable.Range(0, 5).Select(i => Silo(11_111 + i)).ToArray();

    [Theory]
    [InlineData("0190f3a2-7b4c-7d1e-8f00-123456789abc", "0190f3a2-7b4c-7d1e-8f00-123456789abc")]
    [InlineData("0190f3a2-7b4c-7d1e-8f00-123456789abc/transfer-1", "0190f3a2-7b4c-7d1e-8f00-123456789abc")]
    [InlineData("alice/key/with/slashes", "alice")]
    [InlineData("/leading", "")]
    [InlineData("", "")]
    public void The_placement_key_is_the_grain_key_up_to_its_first_slash(string grainKey, string placementKey) =>
        Assert.Equal(placementKey, UserAffinityPlacementDirector.PlacementKey(grainKey));

    [Fact]
    public void A_users_grains_choose_the_same_silo_whatever_the_order_of_the_silo_list()
    {
        foreach (var user in Users(200))
        {
            var chosen = UserAffinityPlacementDirector.Choose(user, s_silos);
            foreach (var key in new[] { user, $"{user}/a", $"{user}/b", $"{user}/idempotency-key-{user.Length}" })
            {
                Assert.Equal(chosen, UserAffinityPlacementDirector.Choose(UserAffinityPlacementDirector.PlacementKey(key), s_silos));
            }

            // Every silo computes the choice from its own view of the membership, in whatever order it lists the silos.
            Assert.Equal(chosen, UserAffinityPlacementDirector.Choose(user, s_silos.Reverse().ToArray()));
            Assert.Equal(chosen, UserAffinityPlacementDirector.Choose(user, s_silos.OrderBy(silo => silo.GetHashCode() ^ user.Length).ToArray()));
        }
    }

    [Fact]
    public void Users_spread_evenly_over_the_silos()
    {
        const int users = 20_000;
        var counts = Users(users).GroupBy(user => UserAffinityPlacementDirector.Choose(user, s_silos)).ToDictionary(group => group.Key, group => group.Count());

        Assert.Equal(s_silos.Length, counts.Count);
        var fair = users / s_silos.Length;
        Assert.All(counts.Values, count => Assert.InRange(count, fair * 0.9, fair * 1.1));
    }

    [Fact]
    public void Only_the_users_of_a_silo_that_leaves_move_and_they_spread_over_the_others()
    {
        var users = Users(10_000).ToList();
        var before = users.ToDictionary(user => user, user => UserAffinityPlacementDirector.Choose(user, s_silos));
        var leaving = s_silos[2];
        var remaining = s_silos.Where(silo => silo != leaving).ToArray();
        var after = users.ToDictionary(user => user, user => UserAffinityPlacementDirector.Choose(user, remaining));

        Assert.All(users.Where(user => before[user] != leaving), user => Assert.Equal(before[user], after[user]));
        var moved = users.Where(user => before[user] == leaving).ToList();
        Assert.InRange(moved.Count, users.Count / s_silos.Length * 0.9, users.Count / s_silos.Length * 1.1);
        var movedTo = moved.GroupBy(user => after[user]).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(remaining.Length, movedTo.Count);
        Assert.All(movedTo.Values, count => Assert.InRange(count, moved.Count / remaining.Length * 0.75, moved.Count / remaining.Length * 1.25));

        // And a silo that joins takes only the users that now score highest on it.
        var joined = after.Keys.Where(user => UserAffinityPlacementDirector.Choose(user, s_silos) != after[user]).ToList();
        Assert.All(joined, user => Assert.Equal(leaving, UserAffinityPlacementDirector.Choose(user, s_silos)));
        Assert.Equal(moved.Order(), joined.Order());
    }

    [Fact]
    public void A_restarted_silo_is_a_new_incarnation_with_choices_of_its_own()
    {
        var restarted = s_silos.Select(silo => silo == s_silos[0] ? SiloAddress.New(silo.Endpoint, silo.Generation + 1) : silo).ToArray();
        var users = Users(5_000).ToList();
        var changed = users.Count(user => UserAffinityPlacementDirector.Choose(user, s_silos) != UserAffinityPlacementDirector.Choose(user, restarted));

        // Only users of the old or the new incarnation move: about two fifths at most, and some do.
        Assert.InRange(changed, 1, users.Count * 2 / s_silos.Length);
    }

    [Fact]
    public async Task The_director_places_by_the_key_of_the_grain_id_over_the_compatible_silos()
    {
        var director = new UserAffinityPlacementDirector();
        var user = "0190f3a2-7b4c-7d1e-8f00-123456789abc";
        var context = new FixedPlacementContext(s_silos);

        var wallet = await director.OnAddActivation(UserAffinityPlacement.Instance, Target(GrainId.Create("wallet", user)), context);
        var idempotency = await director.OnAddActivation(UserAffinityPlacement.Instance, Target(GrainId.Create("idempotency", $"{user}/pay-rent")), context);

        Assert.Equal(UserAffinityPlacementDirector.Choose(user, s_silos), wallet);
        Assert.Equal(wallet, idempotency);
        await Assert.ThrowsAsync<OrleansException>(() => director.OnAddActivation(
            UserAffinityPlacement.Instance, Target(GrainId.Create("wallet", user)), new FixedPlacementContext([])));
        Assert.Throws<ArgumentOutOfRangeException>(() => UserAffinityPlacementDirector.Choose(user, []));

        static PlacementTarget Target(GrainId id) => new(id, [], default, 0);
    }

    [Fact]
    public void The_grains_of_a_user_are_placed_by_user_affinity_and_keyed_by_the_user()
    {
        // The real grains: a user's wallet is keyed by the user id, an idempotency grain "user/key".
        Assert.NotNull(typeof(WalletGrain).GetCustomAttribute<UserAffinityPlacementAttribute>());
        Assert.NotNull(typeof(IdempotencyGrain).GetCustomAttribute<UserAffinityPlacementAttribute>());
        var user = UserId.New();
        Assert.True(IdempotencyKey.TryParse("rent/2026-12", out var key));
        Assert.Equal(user.Key, UserAffinityPlacementDirector.PlacementKey(IdempotencyHeader.GrainKey(user.Key, key)));
        Assert.Equal(user.Key, UserAffinityPlacementDirector.PlacementKey(user.Key));
    }

    [Fact]
    public async Task In_a_two_silo_cluster_a_users_grains_activate_together_on_the_silo_the_hash_chooses()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddPlacementDirector<UserAffinityPlacement, UserAffinityPlacementDirector>();
            // The domain grains (found through the referenced assemblies) declare collection ages below Orleans' default quantum.
            silo.Configure<GrainCollectionOptions>(options => options.CollectionQuantum = TimeSpan.FromSeconds(1));
            silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(System.Text.Json.JsonElement)));
        });
        builder.ConfigureClient(client => client.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(System.Text.Json.JsonElement))));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var silos = cluster.Silos.Select(silo => silo.SiloAddress).ToArray();
            var users = Users(30).ToArray();
            var placed = await Task.WhenAll(users.Select(async user =>
            {
                var own = await cluster.Client.GetGrain<IUserProbeGrain>(user).Silo();
                var keyed = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => cluster.Client.GetGrain<IUserKeyProbeGrain>($"{user}/key-{i}").Silo()));
                return (User: user, Own: own, Keyed: keyed);
            }));

            foreach (var (user, own, keyed) in placed)
            {
                Assert.Equal(UserAffinityPlacementDirector.Choose(user, silos), own);
                Assert.All(keyed, silo => Assert.Equal(own, silo));
            }

            Assert.Equal(2, placed.Select(user => user.Own).Distinct().Count());

            // A grain activated by a call from a grain on the other silo goes to the same place (the decision does not
            // depend on where the call comes from).
            var caller = placed.First(user => user.Own == silos[0]).User;
            var callee = placed.First(user => user.Own == silos[1]).User;
            Assert.Equal(silos[1], await cluster.Client.GetGrain<IUserProbeGrain>(caller).SiloOf(callee, "fresh-key"));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    [Fact]
    public async Task On_two_payment_silos_a_users_wallet_and_idempotency_grains_activate_on_the_silo_the_hash_chooses()
    {
        var database = await TestPostgres.CreateDatabaseAsync("affinity");
        await using var first = await InProcessSilo.StartAsync(database);
        await using var second = await InProcessSilo.StartAsync(database);
        var management = first.GrainFactory.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2
            && (await second.GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2,
            TimeSpan.FromSeconds(30), "both silos are active");
        var silos = (await management.GetHosts(onlyActive: true)).Keys.ToArray();

        using var http = first.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            // Sign-up and a deposit with an idempotency key: the user's wallet and an idempotency grain "user/key".
            var user = await SignUpAsync(http, $"affinity_{i}_{Guid.NewGuid():N}"[..24]);
            var key = $"deposit-{i}";
            using (var deposit = new HttpRequestMessage(HttpMethod.Post, "/v1/wallet/deposits") { Content = JsonContent.Create(new { amount = 100 }) })
            {
                deposit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
                deposit.Headers.Add("Idempotency-Key", key);
                using var deposited = await http.SendAsync(deposit);
                Assert.Equal(HttpStatusCode.Created, deposited.StatusCode);
            }

            var expected = UserAffinityPlacementDirector.Choose(user.Id, silos);
            var wallet = await management.GetActivationAddress(first.GrainFactory.GetGrain<IWalletGrain>(user.Id));
            var idempotency = await management.GetActivationAddress(first.GrainFactory.GetGrain<IIdempotencyGrain>(IdempotencyHeader.GrainKey(user.Id, Key(key))));
            Assert.Equal(expected, wallet);
            Assert.Equal(expected, idempotency);
        }

        static IdempotencyKey Key(string text) => IdempotencyKey.TryParse(text, out var key) ? key : throw new ArgumentException(text);
    }

    private static async Task<(string Id, string Token)> SignUpAsync(HttpClient http, string username)
    {
        using var created = await http.PostAsJsonAsync("/v1/users", new { username, displayName = username, password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var session = await http.PostAsJsonAsync("/v1/sessions", new { username, password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, session.StatusCode);
        return (id, (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!);
    }

    // User ids as the product makes them: UUIDv7, time-ordered, so consecutive ids share most of their leading digits.
    private static IEnumerable<string> Users(int count) =>
        Enumerable.Range(0, count).Select(i => Guid.CreateVersion7(DateTimeOffset.UnixEpoch.AddDays(20_000).AddMilliseconds(i)).ToString("D"));

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 123_456_789);

    private sealed class FixedPlacementContext(SiloAddress[] silos) : IPlacementContext
    {
        public SiloAddress LocalSilo => silos.FirstOrDefault() ?? Silo(1);

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => silos;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) =>
            new Dictionary<ushort, SiloAddress[]> { [0] = silos };
    }
}
