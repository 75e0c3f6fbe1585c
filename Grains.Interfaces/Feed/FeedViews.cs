using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Interfaces.Feed;

/// <summary>
/// A transfer as a feed shows it. <c>Amount</c> and <c>Currency</c> are set only when the reader is one of the two
/// parties; everyone else sees who paid whom, the note and the time.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FeedItemView(
    string TransferId,
    UserProfile From,
    UserProfile To,
    long? Amount,
    string? Currency,
    string Note,
    string Visibility,
    DateTimeOffset CreatedAt,
    long LikeCount,
    long CommentCount,
    bool LikedByMe);

/// <summary>Newest first; <c>HasMore</c> says whether a page follows the last item's transfer id.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedPage(IReadOnlyList<FeedItemView> Data, bool HasMore);

/// <summary>The likes of one item after a like or unlike.</summary>
[GenerateSerializer, Immutable]
public sealed record LikeSummary(string TransferId, long LikeCount, bool LikedByMe);

[GenerateSerializer, Immutable]
public sealed record FeedComment(string Id, string TransferId, UserProfile Author, string Text, DateTimeOffset CreatedAt);

/// <summary>Oldest first; <c>HasMore</c> says whether a page follows the last comment's id.</summary>
[GenerateSerializer, Immutable]
public sealed record CommentPage(IReadOnlyList<FeedComment> Data, bool HasMore);

public static class FeedLimits
{
    public const int MaxCommentLength = 280;
}
