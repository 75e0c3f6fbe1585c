using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Notifications stay once per id when the stream redelivers, and none is lost when the silo is killed mid-burst.</summary>
public sealed class NotificationDeliveryTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_redelivered_stream_after_a_restart_adds_no_inbox_rows_and_pushes_nothing_twice()
    {
        var database = await TestPostgres.CreateDatabaseAsync("notification-redelivery");
        (string Id, string Token) alice, bob;
        var transfers = new List<string>();
        await using (var first = await InProcessSilo.StartAsync(database))
        {
            using var http = first.CreateClient();
            var api = new ApiClient(http);
            alice = await api.SignUpAsync("r_alice", deposit: 10_000);
            bob = await api.SignUpAsync("r_bob");
            for (var i = 0; i < 5; i++)
            {
                var sent = await api.TransferAsync(alice.Token, bob.Id, 10 + i, $"r-{i}");
                Assert.True(sent.Status == HttpStatusCode.Created, sent.Body);
                transfers.Add(sent.Json["transfer"]!["id"]!.GetValue<string>());
            }

            await Eventually.TrueAsync(async () => (await PaymentsReceivedAsync(api, bob.Token)).Count == 5, s_within, "the first silo notifies");
        }

        // As if the silo had died before checkpointing: the next owner of the partitions delivers every event again.
        await using (var dataSource = NpgsqlDataSource.Create(database))
        await using (var reset = dataSource.CreateCommand("DELETE FROM stream_checkpoints"))
        {
            await reset.ExecuteNonQueryAsync();
        }

        await using var second = await InProcessSilo.StartAsync(database);
        using var http2 = second.CreateClient();
        var api2 = new ApiClient(http2);
        await using var socket = await NotificationSocketClient.ConnectAsync(second.BaseAddress, bob.Token);
        var marker = await api2.TransferAsync(alice.Token, bob.Id, 99, "r-marker");
        Assert.True(marker.Status == HttpStatusCode.Created, marker.Body);
        var markerId = marker.Json["transfer"]!["id"]!.GetValue<string>();

        // The marker comes after the five in alice's stream: once it is pushed, the redelivered five have been handled.
        await socket.NextAsync(message => message["type"]!.GetValue<string>() == "payment_received" && message["data"]!["id"]!.GetValue<string>() == markerId, s_within);
        var pushed = socket.Drain();
        Assert.DoesNotContain(pushed, message => transfers.Contains(message["data"]?["transferId"]?.GetValue<string>() ?? message["data"]?["id"]?.GetValue<string>() ?? ""));

        var received = await PaymentsReceivedAsync(api2, bob.Token);
        Assert.Equal([.. transfers, markerId], received);
        var inbox = await InboxAsync(api2, bob.Token);
        Assert.Equal(inbox.Count, inbox.Select(message => message["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(6, inbox.Count(message => message["type"]!.GetValue<string>() == "balance_updated"));
    }

    [Fact]
    public async Task Every_acknowledged_transfer_notifies_its_receiver_exactly_once_across_a_silo_kill()
    {
        using var workspace = new SiloWorkspace("silo-notify-kill-");
        var silo = await workspace.StartReadySiloAsync();
        var api = ApiClient.For(silo.BaseAddress);
        var users = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => api.SignUpAsync($"k_user_{i}", deposit: 100_000)));

        // A burst of transfers until the kill; remember each acknowledged transfer and its receiver.
        var acknowledged = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var from = (worker + i) % users.Length;
                var to = (from + 1 + i % (users.Length - 1)) % users.Length;
                try
                {
                    var response = await api.TransferAsync(users[from].Token, users[to].Id, 1, $"k-{worker}-{i}");
                    if (response.Status == HttpStatusCode.Created)
                    {
                        acknowledged[response.Json["transfer"]!["id"]!.GetValue<string>()] = to;
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    return; // The silo is gone.
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Count >= 200), s_within, "the burst gets going");
        await silo.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await silo.DisposeAsync();

        await using var restarted = await workspace.StartReadySiloAsync();
        var api2 = ApiClient.For(restarted.BaseAddress);

        for (var user = 0; user < users.Length; user++)
        {
            var expected = acknowledged.Where(pair => pair.Value == user).Select(pair => pair.Key).Order().ToList();
            var token = users[user].Token;
            var received = new List<string>();
            try
            {
                await Eventually.TrueAsync(async () =>
                {
                    received = await PaymentsReceivedAsync(api2, token);
                    // Every acknowledged one; transfers committed but not acknowledged before the kill may notify too,
                    // so a count alone could be reached while an acknowledged one is still being redelivered.
                    return !expected.Except(received).Any();
                }, s_within, $"user {user} is notified of every acknowledged transfer");
            }
            catch (Exception missing) when (missing is not OutOfMemoryException)
            {
                throw new InvalidOperationException(
                    $"{missing.Message}: {expected.Except(received).Count()} of {expected.Count} missing. The restarted silo's last output:\n{restarted.OutputTail(80)}", missing);
            }

            Assert.Equal(received.Count, received.Distinct().Count());
        }

        Assert.Equal(0, await restarted.TerminateAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>The transfer ids of the user's payment_received notifications, in inbox order.</summary>
    private static async Task<List<string>> PaymentsReceivedAsync(ApiClient api, string token) =>
        [.. (await InboxAsync(api, token))
            .Where(message => message["type"]!.GetValue<string>() == "payment_received")
            .Select(message => message["data"]!["id"]!.GetValue<string>())];

    private static async Task<List<JsonNode>> InboxAsync(ApiClient api, string token)
    {
        var messages = new List<JsonNode>();
        string? after = null;
        for (var page = 0; page < 1_000; page++)
        {
            var response = await api.SendAsync(HttpMethod.Get, $"/v1/notifications?limit=100{(after is null ? "" : $"&after={after}")}", token);
            Assert.True(response.Status == HttpStatusCode.OK, response.Body);
            var data = response.Json["data"]!.AsArray();
            messages.AddRange(data.Select(message => message!));
            if (data.Count < 100)
            {
                return messages;
            }

            after = data[^1]!["id"]!.GetValue<string>();
        }

        throw new InvalidOperationException("The inbox did not end.");
    }
}
