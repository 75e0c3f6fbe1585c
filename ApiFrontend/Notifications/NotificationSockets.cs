using Microsoft.Extensions.Options;

namespace Orleans.Payments.ApiFrontend.Notifications;

/// <summary>The open notification sockets of this front end, by user.</summary>
public sealed class NotificationSockets(IOptions<NotificationSocketOptions> options)
{
    private readonly Dictionary<string, List<NotificationSocket>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Serves a socket until it closes; at most the configured number per user (the oldest gives way).</summary>
    public async Task ServeAsync(string userId, NotificationSocket socket, CancellationToken requestAborted)
    {
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
            await socket.RunAsync(requestAborted);
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
