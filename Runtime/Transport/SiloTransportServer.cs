using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Cluster;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>
/// Accepts silo and client connections on <see cref="ClusterOptions.SiloPort"/> and runs the grain calls they carry
/// on this silo's activations. Many calls share a connection; each answer goes back with its call's correlation id.
/// </summary>
internal sealed partial class SiloTransportServer(
    ActivationCatalog catalog,
    GrainClassRegistry classes,
    IOptions<ClusterOptions> options,
    ILogger<SiloTransportServer> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task? _accepting;
    private int _callsRunning;

    public JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The endpoint actually bound (port 0 in options picks a free one).</summary>
    public IPEndPoint? Endpoint => _listener?.LocalEndpoint as IPEndPoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.TryParse(options.Value.AdvertisedHost, out var ip) ? ip : IPAddress.Any;
        _listener = new TcpListener(address, options.Value.SiloPort);
        _listener.Start();
        _accepting = Task.Run(() => AcceptAsync(_listener, _stopping.Token), CancellationToken.None);
        LogListening(logger, Endpoint!.ToString());
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting and reading; calls already running may finish and answer. The runtime stopped expiring calls
    /// before this point, so the wait is bounded here: one call timeout, and never past the host's shutdown timeout.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_accepting is null)
        {
            return;
        }

        try
        {
            await _accepting.WaitAsync(catalog.Options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException)
        {
            LogCallsAbandoned(logger, Volatile.Read(ref _callsRunning));
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _listener?.Dispose();
    }

    // Backoff after a failed accept, so a lasting failure (no file descriptors left) does not spin.
    private static readonly TimeSpan AcceptBackoffMin = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan AcceptBackoffMax = TimeSpan.FromSeconds(1);

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        var connections = new List<Task>();
        var backoff = AcceptBackoffMin;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
                client.NoDelay = true;
                connections.Add(ServeAsync(client, stopping));
                connections.RemoveAll(connection => connection.IsCompleted);
                backoff = AcceptBackoffMin;
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                break; // Stopping.
            }
            catch (SocketException error)
            {
                // Out of file descriptors, a connection reset before it was accepted...: the silo keeps listening (were
                // this loop to end, it would look alive to membership while no call could reach it).
                LogAcceptFailed(logger, error, error.SocketErrorCode.ToString(), backoff.TotalMilliseconds);
                await Task.Delay(backoff, CancellationToken.None).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, AcceptBackoffMax.Ticks));
            }
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using var owned = client;
        var stream = client.GetStream();
        // Reads go through a buffer so one receive can bring many calls; answers go through the frame writer.
        var reads = new BufferedStream(stream, Frame.ReadBufferBytes);
        var writer = new FrameWriter(stream, error => LogConnectionClosed(logger, error.Message));
        var inFlight = new List<Task>();
        try
        {
            while (await Frame.ReadAsync(reads, stopping).ConfigureAwait(false) is { } frame)
            {
                if (frame.Kind != FrameKind.Request)
                {
                    throw new InvalidDataException("A silo connection only sends requests to the server.");
                }

                inFlight.Add(AnswerAsync(writer, frame));
                inFlight.RemoveAll(call => call.IsCompleted);
            }
        }
        catch (Exception error) when (error is IOException or InvalidDataException or OperationCanceledException or SocketException)
        {
            LogConnectionClosed(logger, error.Message);
        }

        // Calls already running answer (also while stopping: the caller learns the outcome instead of retrying).
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        writer.Complete();
        await writer.Completion.ConfigureAwait(false);
    }

    private async Task AnswerAsync(FrameWriter writer, Frame frame)
    {
        RemoteCallResponse response;
        Interlocked.Increment(ref _callsRunning);
        try
        {
            var request = JsonSerializer.Deserialize<RemoteCallRequest>(frame.Payload, Json)
                ?? throw new InvalidDataException("Empty call request.");
            if (!classes.TryGetInterface(request.GrainType, out var metadata))
            {
                throw new InvalidOperationException($"This silo does not host grain type {request.GrainType}.");
            }

            var method = metadata.FindMethod(request.Interface, request.Method, request.Arguments.Length)
                ?? throw new InvalidOperationException($"{request.Interface} has no method {request.Method} with {request.Arguments.Length} parameters.");
            if (catalog.IsClosed)
            {
                // Refused before running: the caller may send it to the grain's next owner.
                throw new SiloUnavailableException("The silo is shutting down; retry the call on the grain's new owner.");
            }

            response = await AnswerWithAsync(method, request).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            response = new RemoteCallResponse(null, RemoteErrors.From(error));
        }
        finally
        {
            Interlocked.Decrement(ref _callsRunning);
        }

        // False when the connection broke: the caller's own disconnect handling answers it.
        writer.TryWrite(new Frame(FrameKind.Response, frame.CorrelationId, JsonSerializer.SerializeToUtf8Bytes(response, Json)));
    }

    private async Task<RemoteCallResponse> AnswerWithAsync(GrainMethod method, RemoteCallRequest request)
    {
        try
        {
            // A caller whose view of membership is behind may send a call here for a grain another silo owns now:
            // it goes on to that owner once (through the router), so the grain is not activated here beside it. A call
            // already sent on by another silo runs here, whatever this silo's view, so calls never loop.
            var router = request.Forwarded ? catalog : catalog.Router;
            var arguments = method.ReadArguments(request.Arguments, Json);
            var result = await method.CallRemoteAsync(router, new GrainId(request.GrainType, request.Key), arguments, Json, forwarded: true).ConfigureAwait(false);
            return new RemoteCallResponse(result, null);
        }
        catch (SiloUnavailableException unavailable)
        {
            // The grain may have run and failed on a call of its own (or the silo closed in between): either way the
            // caller must not take it for a call that never ran and send it elsewhere.
            return new RemoteCallResponse(null, RemoteErrors.From(new GrainCallOutcomeUnknownException(unavailable.Message)));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Silo transport listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "Silo transport stopped with {Calls} remote calls still running; their callers get no answer and time out")]
    private static partial void LogCallsAbandoned(ILogger logger, int calls);

    [LoggerMessage(2, LogLevel.Debug, "Silo connection closed: {Reason}")]
    private static partial void LogConnectionClosed(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Silo transport could not accept a connection ({SocketError}); trying again in {BackoffMs} ms")]
    private static partial void LogAcceptFailed(ILogger logger, Exception error, string socketError, double backoffMs);
}
