using System.Net.WebSockets;
using Payments.ApiFrontend.Authentication;

namespace Payments.ApiFrontend.Notifications;

/// <summary>Why the server closes a notification socket, and the close frame that tells the client.</summary>
public sealed record SocketCloseReason(WebSocketCloseStatus Status, string Description)
{
    private const string CatchUp = "Catch up with GET /v1/notifications?after=<last id>.";

    /// <summary>Another socket of the user opened past the per-user limit (1008).</summary>
    public static readonly SocketCloseReason Replaced = new(WebSocketCloseStatus.PolicyViolation, CatchUp);

    /// <summary>The client fell too far behind (1008).</summary>
    public static readonly SocketCloseReason FellBehind = new(WebSocketCloseStatus.PolicyViolation, CatchUp);

    /// <summary>The session the socket was opened with was revoked (4401).</summary>
    public static readonly SocketCloseReason SessionRevoked = new((WebSocketCloseStatus)ApiAuth.SessionEndedCloseCode, "The session was revoked; sign in again.");

    /// <summary>The session the socket was opened with expired (4401).</summary>
    public static readonly SocketCloseReason SessionExpired = new((WebSocketCloseStatus)ApiAuth.SessionEndedCloseCode, "The session expired; sign in again.");
}
