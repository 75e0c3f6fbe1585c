using System.Net.WebSockets;
using Microsoft.Extensions.Options;

namespace Payments.ApiFrontend.Notifications;

/// <summary>The open notification sockets of this front end, by user.</summary>
public sealed class NotificationSockets(IOptions<NotificationSocketOptions> options)
{
    private readonly Dictionary<string, List<NotificationSocket>> _byUser = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a socket for the user (at most the configured number per user: the oldest gives way), then accepts
    /// the WebSocket and serves it until it closes. Registering first means a notification stored once the client
    /// has its upgrade response is queued for it, however late this request's continuation runs.
    /// </summary>
    public async Task ServeAsync(string userId, Func<Task<WebSocket>> accept, CancellationToken requestAborted)
    {
        var socket = new NotificationSocket(options.Value.SendQueueCapacity);
        NotificationSocket? replaced = null;
        lock (_byUser)
        {
            if (!_byUser.TryGetValue(userId, out var sockets))
            {
                _byUser[userId] = sockets = [];
            }

            if (sockets.Count >= options.Value.MaxSocketsPerUser)
            {
                replaced = sockets[0];
                sockets.RemoveAt(0);
            }

            sockets.Add(socket);
        }

        replaced?.Close();
        try
        {
            using var webSocket = await accept();
            await socket.RunAsync(webSocket, requestAborted);
        }
        finally
        {
            lock (_byUser)
            {
                if (_byUser.TryGetValue(userId, out var sockets) && sockets.Remove(socket) && sockets.Count == 0)
                {
                    _byUser.Remove(userId);
                }
            }

            socket.Dispose();
        }
    }

    /// <summary>Queues a message on every socket of the user open here; returns how many took it.</summary>
    public int Push(string userId, ReadOnlyMemory<byte> message)
    {
        NotificationSocket[] sockets;
        lock (_byUser)
        {
            if (!_byUser.TryGetValue(userId, out var open))
            {
                return 0;
            }

            sockets = [.. open];
        }

        return sockets.Count(socket => socket.TryPush(message));
    }
}
