using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Payments.TestSupport;

/// <summary>
/// A real WebSocket client of <c>/v1/notifications/ws</c>: receives in the background and queues each message with the
/// <see cref="Stopwatch"/> timestamp of its arrival. Messages are kept as text and parsed by whoever takes them, so a
/// load generator can skip the ones it does not need cheaply (<see cref="NextTextAsync"/>).
/// </summary>
public sealed class NotificationSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<(string Text, long ReceivedAt)> _received = Channel.CreateUnbounded<(string, long)>();
    private readonly Task _receiving;

    private NotificationSocketClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Connects with the token in the Authorization header, or (<paramref name="tokenInQuery"/>) in access_token as browsers do.</summary>
    public static async Task<NotificationSocketClient> ConnectAsync(Uri baseAddress, string token, bool tokenInQuery = false)
    {
        var socket = new ClientWebSocket();
        try
        {
            await ConnectAsync(socket, baseAddress, token, tokenInQuery);
            return new NotificationSocketClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The HTTP status a connection attempt is answered with (101 when it succeeds).</summary>
    public static async Task<HttpStatusCode> TryConnectAsync(Uri baseAddress, string? token, bool tokenInQuery = false)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await ConnectAsync(socket, baseAddress, token, tokenInQuery);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Refused: the status says why.
        }

        return socket.HttpStatusCode;
    }

    /// <summary>The next message that satisfies <paramref name="match"/>, skipping others; throws after <paramref name="within"/>.</summary>
    public async Task<(JsonNode Message, long ReceivedAt)> NextAsync(Func<JsonNode, bool> match, TimeSpan within, CancellationToken cancellationToken = default)
    {
        JsonNode? matched = null;
        var (_, receivedAt) = await NextTextAsync(text => match(matched = JsonNode.Parse(text)!), within, cancellationToken);
        return (matched!, receivedAt);
    }

    /// <summary>Like <see cref="NextAsync"/> on the raw message text (no parse for the messages skipped).</summary>
    public async Task<(string Text, long ReceivedAt)> NextTextAsync(Func<string, bool> match, TimeSpan within, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        while (true)
        {
            var received = await _received.Reader.ReadAsync(timeout.Token);
            if (match(received.Text))
            {
                return received;
            }
        }
    }

    /// <summary>Messages received so far and not taken by <see cref="NextAsync"/>.</summary>
    public List<JsonNode> Drain()
    {
        var messages = new List<JsonNode>();
        while (_received.Reader.TryRead(out var received))
        {
            messages.Add(JsonNode.Parse(received.Text)!);
        }

        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException)
            {
                // The server went first.
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }

    private static Task ConnectAsync(ClientWebSocket socket, Uri baseAddress, string? token, bool tokenInQuery)
    {
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/v1/notifications/ws" };
        if (token is not null && tokenInQuery)
        {
            uri.Query = $"access_token={Uri.EscapeDataString(token)}";
        }
        else if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        return socket.ConnectAsync(uri.Uri, CancellationToken.None);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    CloseDescription = result.CloseStatusDescription;
                    // Answer the server's close, as a well-behaved client does.
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    var receivedAt = Stopwatch.GetTimestamp();
                    _received.Writer.TryWrite((Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), receivedAt));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed or aborted.
        }

        _received.Writer.TryComplete();
    }

    /// <summary>Whether the server closed the socket (the receive loop ended).</summary>
    public bool IsClosed => _receiving.IsCompleted;

    /// <summary>The close code the server sent (4401 when the session ended), once it closed; null before or when the connection just dropped.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>The reason the server gave with its close frame.</summary>
    public string? CloseDescription { get; private set; }

    /// <summary>Waits until the server closes the socket (or the connection ends); throws after <paramref name="within"/>.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan within)
    {
        await _receiving.WaitAsync(within);
        return CloseStatus;
    }
}
