using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Grains.Interfaces.Notifications;

namespace Payments.ApiFrontend.Notifications;

/// <summary>
/// LISTENs on the inbox's channel on a dedicated connection and pushes each notification to the recipient's sockets
/// on this front end. The inbox sends the NOTIFY in the transaction that stores the notification, so nothing is
/// pushed before it is durable. While the connection is down nothing is pushed: clients catch up from the inbox.
/// </summary>
public sealed partial class NotificationListener(NpgsqlDataSource dataSource, NotificationSockets sockets, ILogger<NotificationListener> logger) : BackgroundService
{
    private static readonly TimeSpan s_reconnectDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => Dispatch(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {NotificationPush.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException or IOException)
            {
                LogListenFailed(logger, error);
                await Task.Delay(s_reconnectDelay, stoppingToken);
            }
        }
    }

    // Payload: user id, newline, the message JSON exactly as clients receive it.
    private void Dispatch(string payload)
    {
        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        if (newline <= 0)
        {
            return;
        }

        sockets.Push(payload[..newline], Encoding.UTF8.GetBytes(payload, newline + 1, payload.Length - newline - 1));
    }

    [LoggerMessage(1, LogLevel.Warning, "Listening for notifications failed; reconnecting (clients catch up from the inbox)")]
    private static partial void LogListenFailed(ILogger logger, Exception error);
}
