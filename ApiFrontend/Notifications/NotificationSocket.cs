using System.Net.WebSockets;
using System.Threading.Channels;

namespace Payments.ApiFrontend.Notifications;

/// <summary>
/// One client's WebSocket: a bounded queue of messages and a loop that sends them. Pushing never waits: when the
/// queue is full the socket is closed, so one slow client cannot hold up the listener or grow memory. The queue
/// exists before the WebSocket is accepted, so what is pushed while the upgrade completes waits in it.
/// The socket belongs to the session it was opened with: it closes (4401) when that session is revoked
/// (<see cref="NotificationSockets.CloseSession"/>) and, on its own timer, when the session expires.
/// </summary>
public sealed class NotificationSocket : IDisposable
{
    // Timers take at most ~49 days; a later expiry is reached in steps.
    private static readonly TimeSpan s_maxTimerDelay = TimeSpan.FromDays(1);

    // How long a close waits for a send in flight, and for the client's answering close frame.
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(2);

    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly CancellationTokenSource _closing = new();
    private readonly TimeProvider _time;
    private readonly ITimer _expiry;
    private SocketCloseReason? _closeReason;

    public NotificationSocket(int capacity, SocketOwner owner, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(time);
        Owner = owner;
        _time = time;
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        OpenedAt = time.GetUtcNow();
        _expiry = time.CreateTimer(_ => CheckExpiry(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        CheckExpiry();
    }

    public SocketOwner Owner { get; }

    public DateTimeOffset OpenedAt { get; }

    /// <summary>Why the server closed (or is closing) the socket; null while it is open or when the client left.</summary>
    public SocketCloseReason? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Queues a UTF-8 JSON message; false (and the socket is being closed) when the client is too far behind.</summary>
    public bool TryPush(ReadOnlyMemory<byte> message)
    {
        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        Close(SocketCloseReason.FellBehind);
        return false;
    }

    /// <summary>
    /// Asks the socket to close for <paramref name="reason"/> (the first reason given is the one the client is sent).
    /// Nothing queued is sent after this returns.
    /// </summary>
    public void Close(SocketCloseReason reason)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
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

    public void Dispose()
    {
        _expiry.Dispose();
        _closing.Dispose();
    }

    /// <summary>
    /// Sends queued messages on the accepted socket until the client closes, the socket is closed, or the request ends;
    /// then completes the close handshake (the close frame carries <see cref="CloseReason"/>). Cancelling a pending
    /// send or receive would abort the connection without a close frame, so neither is cancelled to close: the send
    /// loop stops between messages and the receive loop ends on the client's answering close frame (or an abort
    /// after a grace period).
    /// </summary>
    public async Task RunAsync(WebSocket socket, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(socket);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _closing.Token);
        var receiving = ReceiveUntilClosedAsync(socket, sending, requestAborted);
        Task? inFlight = null;
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(sending.Token))
            {
                // A close requested while this message waited wins: nothing reaches a socket after its session ended.
                sending.Token.ThrowIfCancellationRequested();
                inFlight = socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, requestAborted).AsTask();
                await inFlight.WaitAsync(sending.Token);
                inFlight = null;
            }
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The client left, fell behind, was replaced, or its session ended.
        }

        if (!await CompletesAsync(inFlight))
        {
            // A send to a client that does not read: no close frame can follow it.
            socket.Abort();
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            var reason = CloseReason;
            using var timeout = new CancellationTokenSource(s_closeGrace);
            try
            {
                await socket.CloseOutputAsync(
                    reason?.Status ?? WebSocketCloseStatus.NormalClosure,
                    reason?.Description ?? "Catch up with GET /v1/notifications?after=<last id>.",
                    timeout.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or WebSocketException)
            {
                // Best effort: the connection is going away anyway.
            }
        }

        if (!await CompletesAsync(receiving))
        {
            socket.Abort();
            await receiving;
        }
    }

    private static async Task<bool> CompletesAsync(Task? task)
    {
        if (task is null)
        {
            return true;
        }

        try
        {
            await task.WaitAsync(s_closeGrace);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            return true;
        }
    }

    private void CheckExpiry()
    {
        var remaining = Owner.ExpiresAt - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            Close(SocketCloseReason.SessionExpired);
            return;
        }

        try
        {
            _expiry.Change(remaining < s_maxTimerDelay ? remaining : s_maxTimerDelay, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The socket has ended.
        }
    }

    // Clients send nothing; reading is how a close (or a dead connection) is noticed. Anything sent is discarded.
    // The client's close frame (its own, or its answer to ours) or a dead connection stops the send loop.
    private static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource sending, CancellationToken requestAborted)
    {
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, requestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The request ended or the socket was aborted.
        }

        await sending.CancelAsync();
    }
}
