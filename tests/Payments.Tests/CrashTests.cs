using System.Collections.Concurrent;
using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>SIGKILL the silo process in the middle of a transfer load, restart it on the same data.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Acknowledged_transfers_survive_a_kill_and_retries_return_the_original_results()
    {
        using var workspace = new SiloWorkspace("silo-crash-");
        var silo = await workspace.StartReadySiloAsync();
        var api = ApiClient.For(silo.BaseAddress);
        var users = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => api.SignUpAsync($"crash_user_{i}", deposit: 100_000)));

        // Load: transfers until the kill; remember every attempt and every acknowledgement.
        var attempts = new ConcurrentDictionary<string, (int From, int To, long Amount)>();
        var acknowledged = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"crash-{worker}-{i}";
                var from = (worker + i) % users.Length;
                var to = (from + 1 + i % (users.Length - 1)) % users.Length;
                attempts[key] = (from, to, 1 + i % 100);
                try
                {
                    var response = await api.TransferAsync(users[from].Token, users[to].Id, 1 + i % 100, key);
                    if (response.Status == HttpStatusCode.Created)
                    {
                        acknowledged[key] = response.Body;
                    }
                }
                catch (HttpRequestException)
                {
                    return; // The silo is gone.
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 300), TimeSpan.FromSeconds(60), "the load gets going");
        await silo.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await silo.DisposeAsync();

        // Restart on the same data (the embedded PostgreSQL outlived the silo and is reused).
        await using var restarted = await workspace.StartReadySiloAsync();
        var api2 = ApiClient.For(restarted.BaseAddress);

        // Retrying every attempt: acknowledged ones answer exactly as before; the others happen now, once.
        foreach (var (key, (from, to, amount)) in attempts)
        {
            var retry = await ApiClient.RetryWhileUnavailableAsync(() => api2.TransferAsync(users[from].Token, users[to].Id, amount, key), maxAttempts: 31, TimeSpan.FromMilliseconds(500));
            if (acknowledged.TryGetValue(key, out var original))
            {
                Assert.Equal(HttpStatusCode.Created, retry.Status);
                Assert.Equal(original, retry.Body);
            }
            else
            {
                Assert.True(retry.Status is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, retry.Body);
                if (retry.Status == HttpStatusCode.Created)
                {
                    acknowledged[key] = retry.Body;
                }
            }
        }

        var audit = await api2.AuditAsync(InProcessSilo.AdminToken);
        Assert.True(audit["balanced"]!.GetValue<bool>(), audit.ToJsonString());
        var histories = await Task.WhenAll(users.Select(user => api2.HistoryAsync(user.Token)));
        var transferIds = histories.SelectMany(history => history).Where(entry => entry["type"]!.GetValue<string>() == "transfer_out").Select(entry => entry["id"]!.GetValue<string>()).ToList();
        Assert.Equal(transferIds.Count, transferIds.Distinct().Count());
        Assert.Equal(acknowledged.Count, transferIds.Count);
        var wallets = await Task.WhenAll(users.Select(user => api2.WalletAsync(user.Token)));
        Assert.Equal(users.Length * 100_000L, wallets.Sum(wallet => wallet["balance"]!.GetValue<long>()));

        Assert.Equal(0, await restarted.TerminateAsync(TimeSpan.FromSeconds(60)));
    }
}
