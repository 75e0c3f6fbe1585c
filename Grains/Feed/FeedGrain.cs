using Payments.Infrastructure.Placement;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Feed;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Text;
using Orleans;

namespace Payments.Grains.Feed;

/// <summary>The feed as one reader sees it, over <see cref="FeedStore"/>. Items the reader cannot see answer NOT_FOUND, as if they did not exist.</summary>
[Reentrant]
[UserAffinityPlacement]
[GrainType("feed")]
public sealed class FeedGrain(FeedStore store, TimeProvider time) : Grain, IFeedGrain
{
    public async Task<Outcome<FeedPage>> Feed(int limit, string? startingAfter)
    {
        if (Page(limit, startingAfter) is { } invalid)
        {
            return invalid;
        }

        return await store.FeedAsync(Reader, limit, PageQuery.Cursor(startingAfter));
    }

    public async Task<Outcome<FeedPage>> PublicFeed(int limit, string? startingAfter)
    {
        if (Page(limit, startingAfter) is { } invalid)
        {
            return invalid;
        }

        return await store.PublicAsync(Reader, limit, PageQuery.Cursor(startingAfter));
    }

    public Task<Outcome<LikeSummary>> Like(string transferId) => SetLikeAsync(transferId, liked: true);

    public Task<Outcome<LikeSummary>> Unlike(string transferId) => SetLikeAsync(transferId, liked: false);

    public async Task<Outcome<FeedComment>> Comment(string transferId, string text)
    {
        if (text.Length == 0 || FreeText.CharacterCount(text) > FeedLimits.MaxCommentLength)
        {
            return PaymentError.Validation("text", $"text is 1 to {FeedLimits.MaxCommentLength} characters.");
        }

        if (!FreeText.IsStorable(text))
        {
            return PaymentError.Validation("text", FreeText.NotStorableMessage("text"));
        }

        if (await VisibleAsync(transferId) is not { } id)
        {
            return NotFound();
        }

        return await store.AddCommentAsync(Guid.Parse(SocialId.New()), id, Reader, text, DatabaseTime.Now(time));
    }

    public async Task<Outcome<CommentPage>> Comments(string transferId, int limit, string? startingAfter)
    {
        if (Page(limit, startingAfter) is { } invalid)
        {
            return invalid;
        }

        if (await VisibleAsync(transferId) is not { } id)
        {
            return NotFound();
        }

        return await store.CommentsAsync(id, limit, PageQuery.Cursor(startingAfter));
    }

    private Guid Reader => Guid.Parse(this.GetPrimaryKeyString());

    private async Task<Outcome<LikeSummary>> SetLikeAsync(string transferId, bool liked)
    {
        if (await VisibleAsync(transferId) is not { } id)
        {
            return NotFound();
        }

        return await store.SetLikeAsync(Reader, id, liked, DatabaseTime.Now(time));
    }

    /// <summary>The item's id if this reader may see it; null for a malformed id, an unknown item or someone else's.</summary>
    private async Task<Guid?> VisibleAsync(string transferId) =>
        UserId.TryParse(this.GetPrimaryKeyString(), out _) && SocialId.TryParse(transferId, out var id) && await store.CanSeeAsync(Reader, id) ? id : null;

    private PaymentError? Page(int limit, string? startingAfter) =>
        UserId.TryParse(this.GetPrimaryKeyString(), out _) ? PageQuery.Check(limit, startingAfter, "startingAfter", "the id of the last item of the previous page") : NotFound();

    private static PaymentError NotFound() => new(ErrorCodes.NotFound, "No such feed item.");
}
