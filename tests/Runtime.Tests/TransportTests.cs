using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.Runtime.Transport;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Grain calls over the silo transport: real TCP on loopback, many calls per connection.</summary>
public sealed class TransportTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("transport"), transport: true);

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Concurrent_calls_share_a_connection_and_keep_per_grain_semantics()
    {
        await using var connection = await ConnectAsync();
        var work = Method(nameof(ITurnOperations.Work));
        var target = Target("remote-turns");
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => connection.CallAsync(work, target, [$"caller-{i % 5}", i / 5], TimeSpan.FromSeconds(10))));

        Assert.Equal(Enumerable.Range(1, 500), results.Cast<int>().Order());
        var report = await _silo.GrainFactory.GetGrain<ITurnGrain>("remote-turns").Report();
        Assert.Equal(0, report.TurnOverlaps);
        Assert.All(report.SequencesByCaller.Values, sequences => Assert.Equal(Enumerable.Range(0, 100), sequences));
    }

    [Fact]
    public async Task A_large_payload_goes_both_ways_intact()
    {
        await using var connection = await ConnectAsync();
        var text = string.Concat(Enumerable.Range(0, 400_000).Select(i => (char)('a' + i % 26))) + "ünïcødé";
        var echoed = await connection.CallAsync(Method(nameof(ITurnOperations.Echo)), Target("echo"), [text], TimeSpan.FromSeconds(10));
        Assert.Equal(text, echoed);
    }

    [Fact]
    public async Task A_slow_call_times_out_at_the_caller_and_the_connection_stays_usable()
    {
        await using var connection = await ConnectAsync();
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => connection.CallAsync(Method(nameof(ITurnOperations.HangFor)), Target("slow"), [5_000], TimeSpan.FromMilliseconds(300)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"The timeout fired after {stopwatch.Elapsed}.");
        Assert.Equal("still here", await connection.CallAsync(Method(nameof(ITurnOperations.Echo)), Target("other"), ["still here"], TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Errors_come_back_as_exceptions()
    {
        await using var connection = await ConnectAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.CallAsync(Method(nameof(ITurnOperations.Fail)), Target("failing"), ["remote boom"], TimeSpan.FromSeconds(5)));
        Assert.Equal("remote boom", error.Message);
    }

    [Fact]
    public async Task A_grain_failing_on_an_unavailable_silo_of_its_own_is_not_reported_as_a_call_that_never_ran()
    {
        await using var connection = await ConnectAsync();
        var error = await Assert.ThrowsAsync<GrainCallOutcomeUnknownException>(
            () => connection.CallAsync(Method(nameof(ITurnOperations.FailUnavailable)), Target("inner"), ["no silo for the inner call"], TimeSpan.FromSeconds(5)));
        Assert.Equal("no silo for the inner call", error.Message);
    }

    [Fact]
    public async Task A_connection_cut_mid_call_fails_the_call_at_once()
    {
        var connection = await ConnectAsync();
        var pending = connection.CallAsync(Method(nameof(ITurnOperations.HangFor)), Target("cut"), [3_000], TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        var stopwatch = Stopwatch.StartNew();
        await connection.DisposeAsync();

        // It was sent, so it may have run: not "unavailable" (which callers may send elsewhere) but "outcome unknown".
        await Assert.ThrowsAsync<GrainCallOutcomeUnknownException>(() => pending);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"The call failed after {stopwatch.Elapsed}.");
        Assert.False(connection.IsOpen);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => connection.CallAsync(Method(nameof(ITurnOperations.Echo)), Target("cut"), ["x"], TimeSpan.FromSeconds(1)));

        // A new connection works.
        await using var again = await ConnectAsync();
        Assert.Equal("back", await again.CallAsync(Method(nameof(ITurnOperations.Echo)), Target("cut"), ["back"], TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Connecting_to_a_silo_that_is_not_there_fails_fast()
    {
        var port = _silo.Transport.Endpoint!.Port;
        await _silo.StopAsync();
        await Assert.ThrowsAsync<SiloUnavailableException>(() => SiloConnection.ConnectAsync("127.0.0.1", port, s_json, CancellationToken.None));
    }

    [Fact]
    public async Task Connecting_to_a_silo_that_never_accepts_fails_within_the_connect_timeout()
    {
        // A listener that never accepts: once its queue is full the kernel drops further SYNs, as for a host cut off.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var queued = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                queued.Add(socket);
                _ = socket.ConnectAsync(IPAddress.Loopback, port);
            }

            await Task.Delay(200);
            var stopwatch = Stopwatch.StartNew();
            await Assert.ThrowsAsync<SiloUnavailableException>(() => SiloConnection.ConnectAsync("127.0.0.1", port, s_json, CancellationToken.None));
            Assert.InRange(stopwatch.Elapsed, SiloConnection.ConnectTimeout - TimeSpan.FromSeconds(1), SiloConnection.ConnectTimeout + TimeSpan.FromSeconds(5));
        }
        finally
        {
            queued.ForEach(socket => socket.Dispose());
        }
    }

    private Task<SiloConnection> ConnectAsync() =>
        SiloConnection.ConnectAsync("127.0.0.1", _silo.Transport.Endpoint!.Port, s_json, CancellationToken.None);

    private static GrainMethod Method(string name) =>
        GrainInterfaceMetadata.For(typeof(ITurnGrain)).Methods.Values.Single(method => method.Method.Name == name);

    private static GrainId Target(string key) => new(GrainInterfaceMetadata.For(typeof(ITurnGrain)).GrainType, key);
}
