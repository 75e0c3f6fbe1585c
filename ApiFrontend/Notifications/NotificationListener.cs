using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Payments.ApiFrontend.Authentication;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Users;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Notifications;

/// <summary>
/// LISTENs on a dedicated connection to the inbox's channel, pushing each notification to the recipient's sockets on
/// this front end, and to the session revocation channel, closing the sockets of a revoked session. The inbox sends
/// its NOTIFY in the transaction that stores the notification, and a session grain its own in the transaction that
/// revokes the session, so nothing is pushed before it is durable; both channels share the connection, so they
/// arrive in commit order: a notification stored after a revocation never reaches that session's sockets.
/// While the connection is down nothing is pushed (clients catch up from the inbox) and no revocation is heard, so
/// live sessions are not remembered (<see cref="AcceptedSessionCache"/>), and after reconnecting the listener asks the
/// session grain of every socket open here whether it is still live. An idle connection is checked every few seconds,
/// so one that died without a word is noticed.
/// </summary>
public sealed partial class NotificationListener(
    NpgsqlDataSource dataSource,
    NotificationSockets sockets,
    AcceptedSessionCache acceptedSessions,
    IGrainFactory grains,
    ILogger<NotificationListener> logger) : BackgroundService
{
    private static readonly TimeSpan s_reconnectDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_idleCheck = TimeSpan.FromSeconds(5);
    private const int IdleCheckTimeoutSeconds = 5;

    /// <summary>The idle check's statement; a listening connection's last statement is this or its LISTEN.</summary>
    public const string IdleCheck = "SELECT count(*) FROM pg_listening_channels()";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => Dispatch(notification.Channel, notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {NotificationPush.Channel}; LISTEN {SessionRevocations.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                acceptedSessions.Hearing();

                // Sockets opened before (or while) the connection was down may have missed their revocation.
                _ = RevalidateSessionsAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(s_idleCheck, stoppingToken))
                    {
                        await CheckAliveAsync(connection, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException or IOException)
            {
                LogListenFailed(logger, error);
            }
            finally
            {
                acceptedSessions.Deaf();
            }

            await Task.Delay(s_reconnectDelay, stoppingToken);
        }
    }

    // A round trip within the timeout, or the connection counts as lost (an exception the loop above handles). The
    // statement names what the connection is for, so pg_stat_activity tells it from the pool's.
    private static async Task CheckAliveAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        await using var ping = new NpgsqlCommand(IdleCheck, connection) { CommandTimeout = IdleCheckTimeoutSeconds };
        await ping.ExecuteScalarAsync(stoppingToken);
    }

    private void Dispatch(string channel, string payload)
    {
        if (channel == SessionRevocations.Channel)
        {
            Revoked(payload);
            return;
        }

        // Payload: user id, newline, the message JSON exactly as clients receive it.
        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        if (newline <= 0)
        {
            return;
        }

        sockets.Push(payload[..newline], Encoding.UTF8.GetBytes(payload, newline + 1, payload.Length - newline - 1));
    }

    // Payload: the session key. Revoked sessions never come back, so the key is also refused here without a lookup.
    private void Revoked(string sessionKey)
    {
        acceptedSessions.Revoked(sessionKey);
        if (sockets.CloseSession(sessionKey, SocketCloseReason.SessionRevoked) > 0)
        {
            LogClosedRevoked(logger);
        }
    }

    private async Task RevalidateSessionsAsync(CancellationToken stoppingToken)
    {
        foreach (var sessionKey in sockets.OpenSessions())
        {
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (await grains.Reference<ISessionGrain>(sessionKey).Authenticate() is null)
                {
                    Revoked(sessionKey);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The cluster is unreachable too: the next reconnect, or the session's expiry, closes it.
                LogRevalidationFailed(logger, error);
                return;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Listening for notifications failed; reconnecting (clients catch up from the inbox)")]
    private static partial void LogListenFailed(ILogger logger, Exception error);

    [LoggerMessage(2, LogLevel.Debug, "Closed the notification sockets of a revoked session")]
    private static partial void LogClosedRevoked(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Checking the sessions of open notification sockets after reconnecting failed")]
    private static partial void LogRevalidationFailed(ILogger logger, Exception error);
}
