using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>SIGKILL the silo process during a burst of transfers; after a restart every feed holds exactly the right items.</summary>
public sealed class FeedCrashTests
{
    private const int Users = 8;
    private static readonly string[] s_visibilities = ["public", "friends", "private"];

    [Fact]
    public async Task Fan_out_survives_a_silo_kill_without_missing_or_duplicated_feed_items()
    {
        using var workspace = new SiloWorkspace("silo-feed-crash-");
        var silo = workspace.StartSilo();
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var api = new ApiClient(http);
        var users = await Task.WhenAll(Enumerable.Range(0, Users).Select(i => api.SignUpAsync($"feedcrash_{i}", deposit: 100_000)));

        // A ring where everyone is friends with the next two: each transfer has some friends-of-parties and some strangers.
        var friends = Enumerable.Range(0, Users).ToDictionary(i => users[i].Id, _ => new HashSet<string>());
        for (var i = 0; i < Users; i++)
        {
            foreach (var j in new[] { (i + 1) % Users, (i + 2) % Users })
            {
                await api.BefriendAsync(users[i].Token, users[j].Token, $"feedcrash_{j}");
                friends[users[i].Id].Add(users[j].Id);
                friends[users[j].Id].Add(users[i].Id);
            }
        }

        var attempts = new ConcurrentDictionary<string, (int From, int To, long Amount, string Visibility)>();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"feedcrash-{worker}-{i}";
                var from = (worker + i) % Users;
                var to = (from + 1 + i % (Users - 1)) % Users;
                var visibility = s_visibilities[(worker + i) % s_visibilities.Length];
                attempts[key] = (from, to, 1 + i % 100, visibility);
                try
                {
                    var response = await api.TransferAsync(users[from].Token, users[to].Id, 1 + i % 100, key, visibility: visibility);
                    if (response.Status == HttpStatusCode.Created)
                    {
                        acknowledged[key] = response.Body;
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    return; // The silo is gone.
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 300), TimeSpan.FromSeconds(60), "the burst gets going");
        await silo.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await silo.DisposeAsync();

        await using var restarted = workspace.StartSilo();
        await restarted.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var http2 = new HttpClient { BaseAddress = restarted.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var api2 = new ApiClient(http2);

        // Settle every attempt (same key): afterwards the acknowledged set is exactly the committed transfers.
        foreach (var (key, (from, to, amount, visibility)) in attempts)
        {
            var retry = await ApiClient.RetryWhileUnavailableAsync(
                () => api2.TransferAsync(users[from].Token, users[to].Id, amount, key, visibility: visibility), maxAttempts: 31, TimeSpan.FromMilliseconds(500));
            Assert.True(retry.Status is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, retry.Body);
            if (retry.Status == HttpStatusCode.Created)
            {
                acknowledged[key] = retry.Body;
            }
        }

        // Who must see each committed transfer: its parties, and unless private, the friends of either party.
        var expected = users.ToDictionary(user => user.Id, _ => new HashSet<string>());
        foreach (var body in acknowledged.Values)
        {
            var transfer = JsonNode.Parse(body)!["transfer"]!;
            var (id, from, to) = (transfer["id"]!.GetValue<string>(), transfer["from"]!.GetValue<string>(), transfer["to"]!.GetValue<string>());
            var owners = new HashSet<string> { from, to };
            if (transfer["visibility"]!.GetValue<string>() != "private")
            {
                owners.UnionWith(friends[from]);
                owners.UnionWith(friends[to]);
            }

            foreach (var owner in owners)
            {
                expected[owner].Add(id);
            }
        }

        // Generous bound: delivery resumes after the restart once the partitions are leased again.
        foreach (var (id, token) in users)
        {
            await Eventually.TrueAsync(async () => (await api2.FeedAsync(token)).Count >= expected[id].Count, TimeSpan.FromSeconds(120), $"the feed of {id} catches up");
            var feed = (await api2.FeedAsync(token)).Select(item => item["transferId"]!.GetValue<string>()).ToList();
            Assert.Equal(feed.Count, feed.Distinct().Count());
            Assert.True(expected[id].SetEquals(feed), $"feed of {id}: {feed.Count} items, expected {expected[id].Count}; missing {expected[id].Except(feed).Count()}, extra {feed.Except(expected[id]).Count()}");
        }

        Assert.Equal(0, await restarted.TerminateAsync(TimeSpan.FromSeconds(60)));
    }
}
