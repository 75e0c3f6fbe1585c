using System.Net.WebSockets;
using Microsoft.Extensions.Options;

namespace Payments.ApiFrontend.Notifications;

/// <summary>The open notification sockets of this front end, by user (to push) and by session (to close).</summary>
public sealed class NotificationSockets(IOptions<NotificationSocketOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<NotificationSocket>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NotificationSocket>> _bySession = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a socket for <paramref name="owner"/> (at most the configured number per user: the oldest gives way),
    /// checks that the session is still live, then accepts the WebSocket and serves it until it closes. Registering
    /// first means a notification stored once the client has its upgrade response is queued for it, however late this
    /// request's continuation runs, and a revocation that commits after the check finds the socket to close; the
    /// check itself covers a revocation that came between authentication and registration. Returns false, without
    /// accepting, when the session has ended.
    /// </summary>
    public async Task<bool> ServeAsync(SocketOwner owner, Func<Task<bool>> sessionIsLive, Func<Task<WebSocket>> accept, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(sessionIsLive);
        ArgumentNullException.ThrowIfNull(accept);
        var socket = new NotificationSocket(options.Value.SendQueueCapacity, owner, time);
        NotificationSocket? replaced = null;
        lock (_lock)
        {
            var sockets = Add(_byUser, owner.UserId, socket);
            if (sockets.Count > options.Value.MaxSocketsPerUser)
            {
                replaced = sockets[0];
                Remove(_byUser, owner.UserId, replaced);
                Remove(_bySession, replaced.Owner.SessionKey, replaced);
            }

            Add(_bySession, owner.SessionKey, socket);
        }

        replaced?.Close(SocketCloseReason.Replaced);
        try
        {
            if (!await sessionIsLive())
            {
                return false;
            }

            using var webSocket = await accept();
            await socket.RunAsync(webSocket, requestAborted);
            return true;
        }
        finally
        {
            lock (_lock)
            {
                Remove(_byUser, owner.UserId, socket);
                Remove(_bySession, owner.SessionKey, socket);
            }

            socket.Dispose();
        }
    }

    /// <summary>Queues a message on every socket of the user open here; returns how many took it.</summary>
    public int Push(string userId, ReadOnlyMemory<byte> message)
    {
        var sockets = Snapshot(_byUser, userId);
        return sockets.Count(socket => socket.TryPush(message));
    }

    /// <summary>
    /// Closes every socket opened here with the session (key: the session grain's key) for <paramref name="reason"/>;
    /// nothing is sent on them after this returns. Returns how many there were.
    /// </summary>
    public int CloseSession(string sessionKey, SocketCloseReason reason)
    {
        var sockets = Snapshot(_bySession, sessionKey);
        foreach (var socket in sockets)
        {
            socket.Close(reason);
        }

        return sockets.Length;
    }

    /// <summary>The sessions that have sockets open here.</summary>
    public IReadOnlyList<string> OpenSessions()
    {
        lock (_lock)
        {
            return [.. _bySession.Keys];
        }
    }

    private NotificationSocket[] Snapshot(Dictionary<string, List<NotificationSocket>> index, string key)
    {
        lock (_lock)
        {
            return index.TryGetValue(key, out var open) ? [.. open] : [];
        }
    }

    private static List<NotificationSocket> Add(Dictionary<string, List<NotificationSocket>> index, string key, NotificationSocket socket)
    {
        if (!index.TryGetValue(key, out var sockets))
        {
            index[key] = sockets = [];
        }

        sockets.Add(socket);
        return sockets;
    }

    private static void Remove(Dictionary<string, List<NotificationSocket>> index, string key, NotificationSocket socket)
    {
        if (index.TryGetValue(key, out var sockets) && sockets.Remove(socket) && sockets.Count == 0)
        {
            index.Remove(key);
        }
    }
}
