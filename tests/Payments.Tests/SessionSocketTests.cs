using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Npgsql;
using Payments.ApiFrontend.Notifications;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// A notification socket lives no longer than its session, on every front end that holds one: real processes on
/// loopback, a silo (whose co-hosted API is one front end) and a separate front end, over one PostgreSQL.
/// </summary>
public sealed class SessionSocketTests : IAsyncLifetime
{
    private const int SessionEnded = 4401;
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(30);
    private readonly List<SiloProcess> _processes = [];
    private string _directory = null!;
    private Dictionary<string, string?> _environment = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("session-sockets-").FullName;
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Payments"] = await TestPostgres.CreateDatabaseAsync("session_sockets"),
            ["Payments__Users__PasswordHashIterations"] = "1000",
            ["Payments__AdminToken"] = InProcessSilo.AdminToken,
            ["Payments__Cluster__ClusterId"] = "session-sockets",
        };
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Revoking_a_session_closes_its_sockets_and_ends_its_token_on_every_front_end_and_nothing_reaches_them_after()
    {
        // Without the memory of refused sessions, only the revocation heard can end the token the front end accepted.
        _environment["Payments__Api__Authentication__RefusedSessionCacheTime"] = "00:00:00";
        var (silo, frontEnd) = await StartClusterAsync();
        var alice = await frontEnd.SignUpAsync("revoke_alice", deposit: 10_000);
        var bob = await frontEnd.SignUpAsync("revoke_bob");
        var bobElsewhere = await LoginAsync(frontEnd, "revoke_bob");
        var addresses = new[] { silo.BaseAddress, frontEnd.Http.BaseAddress! };

        // Bob's revoked session has a socket on each front end; his other session too, and keeps them.
        var revoked = await Task.WhenAll(addresses.Select(address => NotificationSocketClient.ConnectAsync(address, bob.Token)));
        var kept = await Task.WhenAll(addresses.Select(address => NotificationSocketClient.ConnectAsync(address, bobElsewhere)));
        try
        {
            var before = await PayAsync(frontEnd, alice.Token, bob.Id, 100, "revoke-1");
            await Task.WhenAll(revoked.Concat(kept).Select(socket => socket.NextAsync(message => IsPayment(message, before), s_within)));
            Assert.Equal(HttpStatusCode.OK, (await frontEnd.SendAsync(HttpMethod.Get, "/v1/users/me", bob.Token)).Status);

            var revokedAt = Stopwatch.GetTimestamp();
            Assert.Equal(HttpStatusCode.NoContent, (await ApiClient.For(silo.BaseAddress).SendAsync(HttpMethod.Delete, "/v1/sessions/current", bob.Token)).Status);
            // Paid at once: the revocation commits first, so no front end pushes this to the revoked session's sockets.
            var after = await PayAsync(frontEnd, alice.Token, bob.Id, 200, "revoke-2");

            foreach (var socket in revoked)
            {
                Assert.Equal((WebSocketCloseStatus)SessionEnded, await socket.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
            }

            Assert.True(Stopwatch.GetElapsedTime(revokedAt) < TimeSpan.FromSeconds(5), "the sockets closed at once");

            // The sockets closed on hearing the revocation, so the front end that accepted the token before has dropped it.
            Assert.Equal(HttpStatusCode.Unauthorized, (await frontEnd.SendAsync(HttpMethod.Get, "/v1/users/me", bob.Token)).Status);
            Assert.Equal(HttpStatusCode.OK, (await frontEnd.SendAsync(HttpMethod.Get, "/v1/users/me", bobElsewhere)).Status);
            await Task.WhenAll(kept.Select(socket => socket.NextAsync(message => IsPayment(message, after), s_within)));
            await Task.Delay(500);
            foreach (var socket in revoked)
            {
                Assert.DoesNotContain(socket.Drain(), message => IsPayment(message, after));
            }

            Assert.All(kept, socket => Assert.False(socket.IsClosed));
            Assert.Equal(HttpStatusCode.Unauthorized, await NotificationSocketClient.TryConnectAsync(frontEnd.Http.BaseAddress!, bob.Token));
        }
        finally
        {
            foreach (var socket in revoked.Concat(kept))
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_front_end_that_lost_its_listening_connection_does_not_accept_a_token_revoked_meanwhile()
    {
        // Only the front end's memory of live sessions stands between the missed revocation and the token.
        _environment["Payments__Api__Authentication__RefusedSessionCacheTime"] = "00:00:00";
        var (silo, frontEnd) = await StartClusterAsync();
        var bob = await frontEnd.SignUpAsync("deaf_bob");
        Assert.Equal(HttpStatusCode.OK, (await frontEnd.SendAsync(HttpMethod.Get, "/v1/users/me", bob.Token)).Status);

        // Both processes' listening connections end; the revocation's NOTIFY goes out before either listens again
        // (each waits a second before reconnecting), so the separate front end never hears it.
        await using var database = NpgsqlDataSource.Create(_environment["ConnectionStrings__Payments"]!);
        var listeners = await ListeningBackendsAsync(database);
        Assert.Equal(2, listeners.Count);
        await using (var terminate = database.CreateCommand("SELECT pg_terminate_backend(pid) FROM unnest($1) AS pid"))
        {
            terminate.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. listeners] });
            await terminate.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.NoContent, (await ApiClient.For(silo.BaseAddress).SendAsync(HttpMethod.Delete, "/v1/sessions/current", bob.Token)).Status);
        await Eventually.TrueAsync(
            async () => (await ListeningBackendsAsync(database)).Count(pid => !listeners.Contains(pid)) == 2,
            TimeSpan.FromSeconds(30),
            "both processes listen again");

        Assert.Equal(HttpStatusCode.Unauthorized, (await frontEnd.SendAsync(HttpMethod.Get, "/v1/users/me", bob.Token)).Status);
    }

    [Fact]
    public async Task An_expired_sessions_sockets_close_on_every_front_end_and_nothing_reaches_them_after()
    {
        var lifetime = TimeSpan.FromSeconds(8);
        _environment["Payments__Users__SessionLifetime"] = lifetime.ToString("c", CultureInfo.InvariantCulture);
        var (silo, frontEnd) = await StartClusterAsync();
        var alice = await frontEnd.SignUpAsync("expiry_alice", deposit: 10_000);
        var bob = await frontEnd.SignUpAsync("expiry_bob");
        var bobSignedInAt = Stopwatch.GetTimestamp();
        var addresses = new[] { silo.BaseAddress, frontEnd.Http.BaseAddress! };

        var expiring = await Task.WhenAll(addresses.Select(address => NotificationSocketClient.ConnectAsync(address, bob.Token)));
        try
        {
            var before = await PayAsync(frontEnd, alice.Token, bob.Id, 100, "expiry-1");
            await Task.WhenAll(expiring.Select(socket => socket.NextAsync(message => IsPayment(message, before), s_within)));

            foreach (var socket in expiring)
            {
                Assert.Equal((WebSocketCloseStatus)SessionEnded, await socket.WaitForCloseAsync(lifetime + TimeSpan.FromSeconds(10)));
            }

            // Not before the session's end (the server stamps the expiry a moment after the client's clock started).
            Assert.True(Stopwatch.GetElapsedTime(bobSignedInAt) > lifetime - TimeSpan.FromSeconds(1), "the sockets closed when the session expired, not before");

            // A new session of Bob's gets the next payment; the expired session's sockets got nothing more.
            var bobAgain = await LoginAsync(frontEnd, "expiry_bob");
            await using var fresh = await NotificationSocketClient.ConnectAsync(frontEnd.Http.BaseAddress!, bobAgain);
            var aliceAgain = await LoginAsync(frontEnd, "expiry_alice");
            var after = await PayAsync(frontEnd, aliceAgain, bob.Id, 200, "expiry-2");
            await fresh.NextAsync(message => IsPayment(message, after), s_within);
            foreach (var socket in expiring)
            {
                Assert.DoesNotContain(socket.Drain(), message => IsPayment(message, after));
            }
        }
        finally
        {
            foreach (var socket in expiring)
            {
                await socket.DisposeAsync();
            }
        }
    }

    private async Task<(SiloProcess Silo, ApiClient FrontEnd)> StartClusterAsync()
    {
        var silo = SiloProcess.Start(_directory, new Dictionary<string, string?>(_environment)
        {
            ["Payments__Cluster__SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            ["Payments__Cluster__GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
        });
        _processes.Add(silo);
        var frontEnd = SiloProcess.Start(_directory, _environment, "Payments.ApiFrontend.dll");
        _processes.Add(frontEnd);
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        await frontEnd.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return (silo, new ApiClient(new HttpClient { BaseAddress = frontEnd.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }));
    }

    // The notification listeners' connections: their last statement is their LISTEN or their idle check.
    private static async Task<List<int>> ListeningBackendsAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND (query LIKE 'LISTEN %' OR query = $1) AND pid <> pg_backend_pid()");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = NotificationListener.IdleCheck });
        await using var reader = await command.ExecuteReaderAsync();
        var pids = new List<int>();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    private static async Task<string> LoginAsync(ApiClient api, string username)
    {
        var session = await api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username, password = "correct horse battery" });
        Assert.True(session.Status == HttpStatusCode.Created, session.Body);
        return session.Json["token"]!.GetValue<string>();
    }

    private static async Task<string> PayAsync(ApiClient api, string token, string to, long amount, string key)
    {
        var sent = await api.TransferAsync(token, to, amount, key, note: "private note");
        Assert.True(sent.Status == HttpStatusCode.Created, sent.Body);
        return sent.Json["transfer"]!["id"]!.GetValue<string>();
    }

    private static bool IsPayment(JsonNode message, string transferId) =>
        message["type"]!.GetValue<string>() == "payment_received" && message["data"]!["id"]?.GetValue<string>() == transferId;
}
