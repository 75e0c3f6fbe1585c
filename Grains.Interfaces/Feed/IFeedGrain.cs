using Payments.Grains.Interfaces.Errors;
using Orleans;

namespace Payments.Grains.Interfaces.Feed;

/// <summary>
/// The feed as one reader sees it (key: the reader's user id): their own feed, the public feed, and likes and
/// comments on items they can see (an item in their feed, or a public one). Reentrant: reads and single statements.
/// </summary>
[Alias("feed")]
public interface IFeedGrain : IGrainWithStringKey
{
    Task<Outcome<FeedPage>> Feed(int limit, string? startingAfter);

    Task<Outcome<FeedPage>> PublicFeed(int limit, string? startingAfter);

    /// <summary>Idempotent: liking twice is one like.</summary>
    Task<Outcome<LikeSummary>> Like(string transferId);

    Task<Outcome<LikeSummary>> Unlike(string transferId);

    Task<Outcome<FeedComment>> Comment(string transferId, string text);

    Task<Outcome<CommentPage>> Comments(string transferId, int limit, string? startingAfter);
}
