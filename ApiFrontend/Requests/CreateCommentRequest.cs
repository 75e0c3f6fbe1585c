using Orleans.Payments.ApiFrontend.Errors;
using Orleans.Payments.Grains.Interfaces.Feed;

namespace Orleans.Payments.ApiFrontend.Requests;

/// <summary>POST /v1/feed/{transferId}/comments {text}: 1 to 280 characters.</summary>
public sealed record CreateCommentRequest(string? Text)
{
    public Parsed<string> Validate() =>
        Text is { Length: >= 1 and <= FeedLimits.MaxCommentLength }
            ? Text
            : ApiError.Validation("text", $"text must be 1 to {FeedLimits.MaxCommentLength} characters.");
}
