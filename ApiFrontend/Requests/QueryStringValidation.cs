using System.Net;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Text;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// Every query parameter, of every endpoint, is valid UTF-8 without U+0000 once percent-decoded, or the request is a 400
/// naming it. ASP.NET Core turns bytes that are not UTF-8 into U+FFFD, so a filter would silently match something else,
/// and PostgreSQL's text cannot hold U+0000, so a filter holding one would fail its statement (a 500). Checked on the
/// raw query string, once, before any endpoint reads it.
/// </summary>
public sealed class QueryStringValidation(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var query = context.Request.QueryString;
        return query.HasValue && FirstUnreadable(query.Value!) is { } name
            ? ApiResults.WriteAsync(context, ApiError.Validation(name, $"The query parameter {name} must be valid UTF-8 text without the character U+0000."))
            : next(context);
    }

    /// <summary>The name of the first parameter whose name or value is not storable text, as far as it can be read.</summary>
    internal static string? FirstUnreadable(string rawQuery)
    {
        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(separator < 0 ? pair : pair[..separator]);
            var value = separator < 0 ? [] : Decode(pair[(separator + 1)..]);
            if (!Storable(name) || !Storable(value))
            {
                var shown = Storable(name) ? Encoding.UTF8.GetString(name) : string.Empty;
                return MayRepeat(shown) ? shown : "(a query parameter)";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a query parameter's name may be repeated back in an error: short, of the characters names are made of
    /// (<c>created[gte]</c>), and holding no card number.
    /// </summary>
    internal static bool MayRepeat(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '[' or ']' or '.')
        && !FreeText.ContainsCardNumber(name);

    private static byte[] Decode(string encoded)
    {
        var bytes = Encoding.ASCII.GetBytes(encoded);
        return WebUtility.UrlDecodeToBytes(bytes, 0, bytes.Length) ?? [];
    }

    private static bool Storable(ReadOnlySpan<byte> text) => Utf8.IsValid(text) && !text.Contains((byte)0);
}
