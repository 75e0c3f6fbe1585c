using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Notifications;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Users;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/notifications: the caller's inbox, and a WebSocket that pushes new notifications as they are stored.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/notifications").WithTags(ApiTags.Notifications).RequireAuthorization();

        group.MapGet("/", GetNotifications)
            .WithName(nameof(GetNotifications))
            .WithSummary("Catch up on notifications")
            .WithDescription("What was stored after the notification `after` (from the start of your inbox without it), oldest first. A client reads this after (re)connecting the WebSocket, until `hasMore` is false. An `after` that names no notification in your inbox (or one past the retention) is 400 with field `after`: start again without it.")
            .Produces<NotificationPage>();
        group.MapGet("/ws", ConnectNotifications)
            .WithName(nameof(ConnectNotifications))
            .WithSummary("Receive notifications (WebSocket)")
            .WithDescription("A WebSocket upgrade. The server pushes `{id, type, data, createdAt}` for every notification stored after the socket opened; it sends nothing else and reads nothing. The token may come in the `access_token` query parameter where a client cannot set headers. The socket lives as long as its session: when the session is revoked or expires, the server closes it with code 4401. A socket that falls behind is closed (1008); reconnect and catch up with `GET /v1/notifications`.")
            .WithMetadata(BearerToken.QueryTokenAllowed)
            .Produces(StatusCodes.Status101SwitchingProtocols);
        return group;
    }

    /// <summary>
    /// GET /v1/notifications?after=&lt;id&gt;&amp;limit= → {data: [{type, data, id, createdAt}], hasMore}: what came after the
    /// given notification (from the start without one), oldest first.
    /// <c>after</c> is the id of a notification in the caller's inbox (a UUID); anything else is 400 VALIDATION_ERROR
    /// with field "after", including an id past the retention (the client then starts again without it).
    /// </summary>
    public static async Task<IResult> GetNotifications(
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? after,
        [FromQuery] string? limit)
    {
        var pageSize = PageLimit.Read(limit);
        if (pageSize.Error is { } invalidLimit)
        {
            return ApiResults.Error(invalidLimit);
        }

        string? afterId = null;
        if (after is not null)
        {
            // Ids are UUIDs (NotificationIds.For); the inbox stores them in the "D" form.
            if (!Guid.TryParseExact(after, "D", out var id))
            {
                return ApiResults.Error(ApiError.Validation("after", "after must be the id of a notification (a UUID such as 0b6f2c1e-8d3a-8f4e-9a1b-2c3d4e5f6a7b)."));
            }

            afterId = id.ToString("D");
        }

        // One more than asked for tells whether there is more.
        var messages = await grains.Reference<INotificationGrain>(user.UserId()).After(afterId, pageSize.Value + 1);
        return messages is null
            ? ApiResults.Error(ApiError.Validation("after", "after names no notification in your inbox (notifications are kept for a limited time); read from the start without after."))
            : ApiResults.Json(new NotificationPage([.. messages.Take(pageSize.Value)], messages.Count > pageSize.Value));
    }

    /// <summary>
    /// GET /v1/notifications/ws (WebSocket; bearer token in the Authorization header or the access_token query parameter):
    /// pushes {type, data, id, createdAt} for every notification stored after the socket opened. Missed ones (before
    /// connecting, while disconnected, or when the socket fell behind and was closed) come from GET /v1/notifications.
    /// The socket lives as long as the session it was opened with: when that session is revoked (on any front end)
    /// or expires, the server closes it with code 4401 and sends nothing more.
    /// </summary>
    public static async Task<IResult> ConnectNotifications(
        HttpContext context,
        ClaimsPrincipal user,
        [FromServices] NotificationSockets sockets,
        [FromServices] IGrainFactory grains)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiResults.Error(new ApiError(ErrorCodes.ValidationError, "This endpoint takes a WebSocket upgrade request."));
        }

        var owner = new SocketOwner(user.UserId(), user.SessionKey(), user.SessionExpiresAt());
        var session = grains.Reference<ISessionGrain>(owner.SessionKey);
        var served = await sockets.ServeAsync(
            owner,
            async () => await session.Authenticate() is not null,
            () => context.WebSockets.AcceptWebSocketAsync(),
            context.RequestAborted);
        return served ? Results.Empty : ApiResults.Error(ApiError.Unauthenticated("The session ended; sign in again."));
    }
}
