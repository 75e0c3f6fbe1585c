using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Feed;
using Payments.Grains.Interfaces.Text;

namespace Payments.ApiFrontend.Requests;

/// <summary>POST /v1/feed/{transferId}/comments {text}: 1 to 280 characters.</summary>
public sealed record CreateCommentRequest(
    [property: Required, MaxLength(FeedLimits.MaxCommentLength)] string? Text)
{
    public Parsed<string> Validate() => Text switch
    {
        _ when string.IsNullOrEmpty(Text) || FreeText.CharacterCount(Text) > FeedLimits.MaxCommentLength =>
            ApiError.Validation("text", $"text must be 1 to {FeedLimits.MaxCommentLength} characters."),
        _ when !FreeText.IsStorable(Text) => ApiError.Validation("text", FreeText.NotStorableMessage("text")),
        _ => Text,
    };
}
