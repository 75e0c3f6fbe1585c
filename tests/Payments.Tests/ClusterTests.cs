using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Tests;

/// <summary>Real processes on loopback: two silos and a separate REST front end over one PostgreSQL.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Money_stays_exact_through_a_front_end_when_a_silo_is_killed_under_load()
    {
        var database = await TestPostgres.CreateDatabaseAsync("cluster");
        var directory = Directory.CreateTempSubdirectory("cluster-").FullName;
        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = database,
            ["Payments__Users__PasswordHashIterations"] = "1000",
            ["Payments__AdminToken"] = InProcessSilo.AdminToken,
            ["Payments__Cluster__ClusterId"] = "cluster-test",
            ["Payments__Cluster__HeartbeatInterval"] = "00:00:00.500",
            ["Payments__Cluster__DeathTimeout"] = "00:00:03",
        };
        try
        {
            var first = SiloProcess.Start(directory, With(common, "Payments__Cluster__SiloPort", InProcessSilo.FreePort()));
            await using var second = SiloProcess.Start(directory, With(common, "Payments__Cluster__SiloPort", InProcessSilo.FreePort()));
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            await using var frontEnd = SiloProcess.Start(directory, common, "Orleans.Payments.ApiFrontend.dll");
            await frontEnd.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            using var http = new HttpClient { BaseAddress = frontEnd.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var api = new ApiClient(http);
            var cluster = await api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", InProcessSilo.AdminToken);
            Assert.Equal(2, cluster.Json["silos"]!.AsArray().Count(silo => silo!["status"]!.GetValue<string>() == "active"));

            var users = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => api.SignUpAsync($"cluster_user_{i}", deposit: 50_000)));
            var acknowledged = new ConcurrentDictionary<string, (int From, int To, long Amount)>();
            var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; i < 60; i++)
                {
                    var from = (worker + i) % users.Length;
                    var to = (from + 1 + i % (users.Length - 1)) % users.Length;
                    var amount = 1 + (i * 7 + worker) % 200;
                    var response = await RetryWhileUnavailableAsync(() => api.TransferAsync(users[from].Token, users[to].Id, amount, $"cluster-{worker}-{i}"));
                    Assert.True(response.Status is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, response.Body);
                    if (response.Status == HttpStatusCode.Created)
                    {
                        acknowledged[response.Json["transfer"]!["id"]!.GetValue<string>()] = (from, to, amount);
                    }
                }
            })).ToArray();

            await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 100), TimeSpan.FromSeconds(60), "the load gets going");
            await first.KillAsync();
            await first.DisposeAsync();
            await Task.WhenAll(load);

            await Eventually.TrueAsync(
                async () => (await api.SendAsync(HttpMethod.Get, "/v1/admin/cluster", InProcessSilo.AdminToken)).Json["silos"]!.AsArray().Any(silo => silo!["status"]!.GetValue<string>() == "dead"),
                TimeSpan.FromSeconds(15), "the killed silo is declared dead");
            var audit = await RetryAuditAsync(api);
            Assert.True(audit["balanced"]!.GetValue<bool>(), audit.ToJsonString());
            var histories = await Task.WhenAll(users.Select(user => api.HistoryAsync(user.Token)));
            var sent = histories.SelectMany(history => history).Where(entry => entry["type"]!.GetValue<string>() == "transfer_out").Select(entry => entry["id"]!.GetValue<string>()).ToList();
            Assert.Equal(sent.Count, sent.Distinct().Count());
            Assert.Equal(acknowledged.Keys.Order(), sent.Order());
            var wallets = await Task.WhenAll(users.Select(user => api.WalletAsync(user.Token)));
            Assert.Equal(users.Length * 50_000L, wallets.Sum(wallet => wallet["balance"]!.GetValue<long>()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> common, string name, int value) =>
        new(common) { [name] = value.ToString(CultureInfo.InvariantCulture) };

    private static async Task<System.Text.Json.Nodes.JsonNode> RetryAuditAsync(ApiClient api)
    {
        var response = await RetryWhileUnavailableAsync(() => api.SendAsync(HttpMethod.Get, "/v1/admin/ledger/audit", InProcessSilo.AdminToken));
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        return response.Json;
    }

    /// <summary>What a client does with a retryable answer while the cluster heals: wait and retry with the same key.</summary>
    private static async Task<ApiClient.Response> RetryWhileUnavailableAsync(Func<Task<ApiClient.Response>> send)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await send();
            if (response.Status != HttpStatusCode.ServiceUnavailable || attempt == 60)
            {
                return response;
            }

            await Task.Delay(250);
        }
    }
}
