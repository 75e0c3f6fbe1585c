using System.Net.WebSockets;
using System.Threading.Channels;

namespace Payments.ApiFrontend.Notifications;

/// <summary>
/// One client's WebSocket: a bounded queue of messages and a loop that sends them. Pushing never waits: when the
/// queue is full the socket is closed, so one slow client cannot hold up the listener or grow memory. The queue
/// exists before the WebSocket is accepted, so what is pushed while the upgrade completes waits in it.
/// </summary>
public sealed class NotificationSocket(int capacity) : IDisposable
{
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();

    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Queues a UTF-8 JSON message; false (and the socket is being closed) when the client is too far behind.</summary>
    public bool TryPush(ReadOnlyMemory<byte> message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        Close();
        return false;
    }

    /// <summary>Asks the socket to close (another socket replaced it, or it fell behind).</summary>
    public void Close()
    {
        _queue.Writer.TryComplete();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The socket has ended already.
        }
    }

    public void Dispose() => _closing.Dispose();

    /// <summary>Sends queued messages on the accepted socket until the client closes, the socket is closed, or the request ends.</summary>
    public async Task RunAsync(WebSocket socket, CancellationToken requestAborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _closing.Token);
        var receiving = ReceiveUntilClosedAsync(socket, stop);
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(stop.Token))
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, stop.Token);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The client left, fell behind, or was replaced.
        }

        await stop.CancelAsync();
        await receiving;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            var status = _closing.IsCancellationRequested ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.NormalClosure;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(status, "Catch up with GET /v1/notifications?after=<last id>.", timeout.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or WebSocketException)
            {
                // Best effort: the connection is going away anyway.
            }
        }

    }

    // Clients send nothing; reading is how a close (or a dead connection) is noticed. Anything sent is discarded.
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[256];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The request ended.
        }

        await stop.CancelAsync();
    }
}
