using System.Globalization;
using Payments.ApiFrontend.Errors;

namespace Payments.ApiFrontend.Requests;

/// <summary>The <c>limit</c> query parameter of paged endpoints: an integer from 1 to 100, 20 when absent.</summary>
public static class PageLimit
{
    public const int Default = 20;
    public const int Max = 100;

    public static Parsed<int> Read(string? limit)
    {
        if (limit is null)
        {
            return Default;
        }

        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Max
            ? value
            : ApiError.Validation("limit", $"limit must be an integer from 1 to {Max}.");
    }
}
