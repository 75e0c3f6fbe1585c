using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Paging;

namespace Payments.Grains;

/// <summary>The limit and cursor of a social list (requests, friends, feeds, comments): limit 1..100, cursor a UUID id.</summary>
internal static class PageQuery
{
    public static PaymentError? Check(int limit, string? cursor, string cursorField, string cursorMeaning)
    {
        if (limit is < 1 or > PageLimits.Max)
        {
            return PaymentError.Validation("limit", $"limit is between 1 and {PageLimits.Max}.");
        }

        return cursor is not null && !SocialId.TryParse(cursor, out _)
            ? PaymentError.Validation(cursorField, $"{cursorField} is {cursorMeaning}.")
            : null;
    }

    /// <summary>The cursor as an id; call after <see cref="Check"/> accepted it.</summary>
    public static Guid? Cursor(string? cursor) => cursor is null ? null : Guid.Parse(cursor);
}
