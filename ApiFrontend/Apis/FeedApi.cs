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
using Payments.Grains.Interfaces.Feed;
using Orleans;
using Payments.Infrastructure.References;

namespace Payments.ApiFrontend.Apis;

/// <summary>/v1/feed: my feed, the public feed, likes and comments on items I can see.</summary>
public static class FeedApi
{
    public static RouteGroupBuilder MapFeedApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/feed").WithTags(ApiTags.Feed).RequireAuthorization();

        group.MapGet("/", GetFeed)
            .WithName(nameof(GetFeed))
            .WithSummary("Get your feed")
            .WithDescription("Your transfers and your friends' (those of visibility public or friends), newest first. Amounts and currencies appear only on transfers you are a party to. `startingAfter` is a feed item's `transferId`.")
            .Produces<FeedPage>();
        group.MapGet("/public", GetPublicFeed)
            .WithName(nameof(GetPublicFeed))
            .WithSummary("Get the public feed")
            .WithDescription("Everyone's public transfers, newest first, without amounts unless you are a party. `startingAfter` is a feed item's `transferId`.")
            .Produces<FeedPage>();
        group.MapPost("/{transferId}/likes", LikeFeedItem)
            .WithName(nameof(LikeFeedItem))
            .WithSummary("Like a feed item")
            .WithDescription("Liking twice is one like. 404 for a transfer you cannot see.")
            .Produces<LikeSummary>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapDelete("/{transferId}/likes", UnlikeFeedItem)
            .WithName(nameof(UnlikeFeedItem))
            .WithSummary("Take back a like")
            .Produces<LikeSummary>()
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapPost("/{transferId}/comments", CommentOnFeedItem)
            .WithName(nameof(CommentOnFeedItem))
            .WithSummary("Comment on a feed item")
            .WithDescription("`text`: 1–280 characters. 404 for a transfer you cannot see.")
            .Accepts<CreateCommentRequest>("application/json")
            .Produces<FeedComment>(StatusCodes.Status201Created)
            .ProducesErrors(ErrorCodes.NotFound);
        group.MapGet("/{transferId}/comments", GetFeedItemComments)
            .WithName(nameof(GetFeedItemComments))
            .WithSummary("List a feed item's comments")
            .WithDescription("Oldest first. `startingAfter` is a comment id.")
            .Produces<CommentPage>()
            .ProducesErrors(ErrorCodes.NotFound);
        return group;
    }

    /// <summary>GET /v1/feed?limit=&amp;startingAfter= → {data, hasMore}: my feed, newest first.</summary>
    public static async Task<IResult> GetFeed(ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.Reference<IFeedGrain>(user.UserId()).Feed(pageSize.Value, startingAfter));
    }

    /// <summary>GET /v1/feed/public?limit=&amp;startingAfter= → {data, hasMore}: everyone's public transfers, newest first, without amounts unless I am a party.</summary>
    public static async Task<IResult> GetPublicFeed(ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromQuery] string? limit, [FromQuery] string? startingAfter)
    {
        var pageSize = PageLimit.Read(limit);
        return pageSize.Error is { } badLimit
            ? ApiResults.Error(badLimit)
            : ApiResults.Ok(await grains.Reference<IFeedGrain>(user.UserId()).PublicFeed(pageSize.Value, startingAfter));
    }

    /// <summary>POST /v1/feed/{transferId}/likes → {transferId, likeCount, likedByMe}; liking twice is one like.</summary>
    public static async Task<IResult> LikeFeedItem(string transferId, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.Reference<IFeedGrain>(user.UserId()).Like(transferId));

    /// <summary>DELETE /v1/feed/{transferId}/likes → {transferId, likeCount, likedByMe: false}.</summary>
    public static async Task<IResult> UnlikeFeedItem(string transferId, ClaimsPrincipal user, [FromServices] IGrainFactory grains) =>
        ApiResults.Ok(await grains.Reference<IFeedGrain>(user.UserId()).Unlike(transferId));

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
            : ApiResults.Created(await grains.Reference<IFeedGrain>(user.UserId()).Comment(transferId, text.Value!));
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
            : ApiResults.Ok(await grains.Reference<IFeedGrain>(user.UserId()).Comments(transferId, pageSize.Value, startingAfter));
    }
}
