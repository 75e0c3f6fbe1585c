using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Notifications;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Notifications;
using Payments.Grains.Interfaces.Text;
using Orleans;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/notifications: the caller's inbox, and a WebSocket that pushes new notifications as they are stored.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/notifications").WithTags("Notifications").RequireAuthorization();

        group.MapGet("/", GetNotifications)
            .WithName(nameof(GetNotifications))
            .Produces<NotificationPage>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        group.MapGet("/ws", ConnectNotifications)
            .WithName(nameof(ConnectNotifications))
            .WithMetadata(BearerToken.QueryTokenAllowed)
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized);
        return group;
    }

    /// <summary>
    /// GET /v1/notifications?after=&lt;id&gt;&amp;limit= → {data: [{type, data, id, createdAt}]}: what came after the given
    /// notification (from the start without one), oldest first. Fewer than limit items means the client has caught up.
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

        if (after is not null && (after.Length is 0 or > NotificationIds.MaxLength || !FreeText.IsStorable(after)))
        {
            return ApiResults.Error(ApiError.Validation("after", $"after must be a notification id (1 to {NotificationIds.MaxLength} characters)."));
        }

        var messages = await grains.GetGrain<INotificationGrain>(user.UserId()).After(after, pageSize.Value);
        return ApiResults.Json(new NotificationPage(messages));
    }

    /// <summary>
    /// GET /v1/notifications/ws (WebSocket; bearer token in the Authorization header or the access_token query parameter):
    /// pushes {type, data, id, createdAt} for every notification stored after the socket opened. Missed ones (before
    /// connecting, while disconnected, or when the socket fell behind and was closed) come from GET /v1/notifications.
    /// </summary>
    public static async Task<IResult> ConnectNotifications(
        HttpContext context,
        ClaimsPrincipal user,
        [FromServices] NotificationSockets sockets)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiResults.Error(new ApiError(ErrorCodes.ValidationError, "This endpoint takes a WebSocket upgrade request."));
        }

        await sockets.ServeAsync(user.UserId(), () => context.WebSockets.AcceptWebSocketAsync(), context.RequestAborted);
        return Results.Empty;
    }
}
