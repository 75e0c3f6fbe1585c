using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Payments.ApiFrontend.Authentication;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Feed;
using Orleans;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/feed: my feed, the public feed, likes and comments on items I can see.</summary>
public static class FeedApi
{
    public static RouteGroupBuilder MapFeedApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/feed").WithTags("Feed").RequireAuthorization();

        group.MapGet("/", GetFeed)
            .WithName(nameof(GetFeed))
            .Produces<FeedPage>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        group.MapGet("/public", GetPublicFeed)
            .WithName(nameof(GetPublicFeed))
            .Produces<FeedPage>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest);
        group.MapPost("/{transferId}/likes", LikeFeedItem)
            .WithName(nameof(LikeFeedItem))
            .Produces<LikeSummary>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        group.MapDelete("/{transferId}/likes", UnlikeFeedItem)
            .WithName(nameof(UnlikeFeedItem))
            .Produces<LikeSummary>()
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        group.MapPost("/{transferId}/comments", CommentOnFeedItem)
            .WithName(nameof(CommentOnFeedItem))
            .Accepts<CreateCommentRequest>("application/json")
            .Produces<FeedComment>(StatusCodes.Status201Created)
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        group.MapGet("/{transferId}/comments", GetFeedItemComments)
            .WithName(nameof(GetFeedItemComments))
            .Produces<CommentPage>()
            .Produces<ApiError>(StatusCodes.Status400BadRequest)
            .Produces<ApiError>(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>GET /v1/feed?limit=&amp;cursor= → {items, nextCursor}: my feed, newest first.</summary>
    public static async Task<IResult> GetFeed(ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? cursor)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.GetGrain<IFeedGrain>(user.UserId()).Feed(pageSize.Value, cursor));
    }

    /// <summary>GET /v1/feed/public?limit=&amp;cursor= → {items, nextCursor}: everyone's public transfers, newest first, without amounts unless I am a party.</summary>
    public static async Task<IResult> GetPublicFeed(ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? cursor)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.GetGrain<IFeedGrain>(user.UserId()).PublicFeed(pageSize.Value, cursor));
    }

    /// <summary>POST /v1/feed/{transferId}/likes → {transferId, likeCount, likedByMe}; liking twice is one like.</summary>
    public static async Task<IResult> LikeFeedItem(string transferId, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.GetGrain<IFeedGrain>(user.UserId()).Like(transferId));

    /// <summary>DELETE /v1/feed/{transferId}/likes → {transferId, likeCount, likedByMe: false}.</summary>
    public static async Task<IResult> UnlikeFeedItem(string transferId, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.GetGrain<IFeedGrain>(user.UserId()).Unlike(transferId));

    /// <summary>POST /v1/feed/{transferId}/comments {text} → 201 the comment.</summary>
    public static async Task<IResult> CommentOnFeedItem(string transferId, HttpContext context, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateCommentRequest>(context.Request);
        if (body.Error is { } invalid)
        {
            return ApiResults.Error(invalid);
        }

        var text = body.Value!.Validate();
        return text.Error is { } error
            ? ApiResults.Error(error)
            : ApiResults.Created(await grains.GetGrain<IFeedGrain>(user.UserId()).Comment(transferId, text.Value!));
    }

    /// <summary>GET /v1/feed/{transferId}/comments?limit=&amp;startingAfter= → {data, hasMore}, oldest first.</summary>
    public static async Task<IResult> GetFeedItemComments(
        string transferId,
        ClaimsPrincipal user,
        [FromServices] IGrainFactory grains,
        [FromQuery] string? limit,
        [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.GetGrain<IFeedGrain>(user.UserId()).Comments(transferId, pageSize.Value, startingAfter));
    }
}
