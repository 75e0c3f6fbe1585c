using System.Globalization;
using Orleans.Payments.ApiFrontend.Errors;

namespace Orleans.Payments.ApiFrontend.Requests;

/// <summary>The <c>limit</c> query parameter of a list: absent means the default, otherwise an integer 1..max.</summary>
public static class PageLimit
{
    public static Parsed<int> Parse(string? limit, int defaultLimit, int maxLimit)
    {
        if (limit is null)
        {
            return defaultLimit;
        }

        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 && value <= maxLimit
            ? value
            : ApiError.Validation("limit", $"limit must be an integer from 1 to {maxLimit}.");
    }
}
