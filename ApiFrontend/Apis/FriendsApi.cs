using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Friends;
using Payments.Grains.Interfaces.Users;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/friends: friend requests, accepting them, my friends, unfriending.</summary>
public static class FriendsApi
{
    public static RouteGroupBuilder MapFriendsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/friends").WithTags(ApiTags.Friends).RequireAuthorization();

        group.MapPost("/requests", CreateFriendRequest)
            .WithName(nameof(CreateFriendRequest))
            .WithSummary("Ask someone to be your friend")
            .WithDescription("Sends a friend request to `username`. If they had already asked you, you become friends at once (the answer is then the accepted request).")
            .Accepts<CreateFriendRequestRequest>("application/json")
            .Produces<FriendRequestView>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.NotFound, ErrorCodes.InvalidRecipient, ErrorCodes.AlreadyFriends, ErrorCodes.FriendRequestPending);
        group.MapGet("/requests", ListFriendRequests)
            .WithName(nameof(ListFriendRequests))
            .WithSummary("List pending friend requests")
            .WithDescription("Pending requests you received (`role=received`, the default) or sent (`role=sent`), newest first. `startingAfter` is a request id.")
            .Produces<FriendRequestPage>();
        group.MapPost("/requests/{id}/accept", AcceptFriendRequest)
            .WithName(nameof(AcceptFriendRequest))
            .WithSummary("Accept a friend request")
            .WithDescription("Only the user a request was sent to may accept it; for anyone else the answer is 404.")
            .Produces<FriendRequestView>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapGet("/", ListFriends)
            .WithName(nameof(ListFriends))
            .WithSummary("List your friends")
            .WithDescription("Ordered by user id. `startingAfter` is a friend's user id.")
            .Produces<FriendPage>();
        group.MapDelete("/{userId}", RemoveFriend)
            .WithName(nameof(RemoveFriend))
            .WithSummary("Remove a friend")
            .WithDescription("Ends the friendship for both. 404 when the two are not friends.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>POST /v1/friends/requests {username} → 201 the pending friend request (409 if already friends or already asked).</summary>
    public static async Task<IResult> CreateFriendRequest(HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateFriendRequestRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var username = body.Value!.Validate();
        if (username.Error is { } error)
        {
            return ApiResults.Error(error);
        }

        var addressee = await grains.Reference<IUserDirectoryGrain>(GrainKeys.UserDirectory).FindByUsername(username.Value.Value);
        if (addressee is null)
        {
            return ApiResults.Error(new ApiError(Grains.Interfaces.Errors.ErrorCodes.NotFound, "No user has this username.", "username"));
        }

        return ApiResults.Created(await grains.Reference<IFriendsGrain>(user.UserId()).RequestFriendship(addressee.Id));
    }

    /// <summary>GET /v1/friends/requests?role=received|sent&amp;limit=&amp;startingAfter= → pending requests, newest first (role defaults to received).</summary>
    public static async Task<IResult> ListFriendRequests(
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? role,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.Reference<IFriendsGrain>(user.UserId()).PendingRequests(role ?? FriendRequestRole.Received, pageSize.Value, startingAfter));
    }

    /// <summary>POST /v1/friends/requests/{id}/accept → the accepted request; only its addressee may (404 for anyone else).</summary>
    public static async Task<IResult> AcceptFriendRequest(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.Reference<IFriendsGrain>(user.UserId()).Accept(id));

    /// <summary>GET /v1/friends?limit=&amp;startingAfter= → {data: [{id, username, displayName, since}], hasMore}, by user id.</summary>
    public static async Task<IResult> ListFriends(
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.Reference<IFriendsGrain>(user.UserId()).Friends(pageSize.Value, startingAfter));
    }

    /// <summary>DELETE /v1/friends/{userId} → 204; 404 when the two are not friends.</summary>
    public static async Task<IResult> RemoveFriend(string userId, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        await grains.Reference<IFriendsGrain>(user.UserId()).Remove(userId)
            ? Results.NoContent()
            : ApiResults.Error(ApiError.NotFound("You are not friends with this user."));
}
