using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Text;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// Reads a JSON request body strictly: application/json in UTF-8 only (another media type or a charset other than
/// UTF-8 is 415), at most <see cref="MaxBytes"/> (else 413), numbers as JSON numbers (a quoted number is a type
/// error), no duplicate properties (a repeated key, in any letter case since binding ignores case, is a 400 that says
/// "duplicate property"), and every parse failure a 400 naming the field the JSON path points at. An "amount" that
/// is not an integer that fits (1.5, 1e30, 99999999999999999999, "10") is INVALID_AMOUNT. Every string, in any property,
/// must be valid UTF-8 without U+0000, and hold no card number outside a card's own fields (a 400 naming the property).
/// A property the request does not have is refused (a 400 naming it), as Stripe does: a misspelt "captureMethod" would
/// otherwise be ignored and the payment captured at once.
/// </summary>
public static class JsonBody
{
    /// <summary>The request body limit (64 KiB), also set on Kestrel.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Properties whose values are card data or secrets by design: a card's number and CVC, a device's cryptogram, a verification code, a password.</summary>
    private static readonly HashSet<string> s_cardDataProperties = new(["number", "cvc", "cryptogram", "code", "password"], StringComparer.OrdinalIgnoreCase);

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 16,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static async Task<Parsed<T>> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return StatusCodeErrors.For(StatusCodes.Status415UnsupportedMediaType);
        }

        if (!DeclaresUtf8OrNothing(request.ContentType))
        {
            return new ApiError(
                ErrorCodes.UnsupportedMediaType,
                "The request body must be JSON in UTF-8: send Content-Type: application/json, with no charset or charset=utf-8.");
        }

        if (request.ContentLength > MaxBytes)
        {
            return StatusCodeErrors.For(StatusCodes.Status413PayloadTooLarge);
        }

        // Kestrel enforces MaxRequestBodySize while this reads (BadHttpRequestException 413, handled by the middleware).
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (CheckSyntax(body) is { } syntaxError)
        {
            return syntaxError;
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, s_options);
        }
        catch (JsonException error)
        {
            return FromJsonError(error, s_options.GetTypeInfo(typeof(T)));
        }

        return value is null ? new ApiError(ErrorCodes.ValidationError, "A JSON object body is required.") : value;
    }

    /// <summary>
    /// Syntax, so that a syntax error is reported as such and not as a bad value of the field it stopped at; repeated
    /// property names, so that the answer says what is wrong; and the text of every string (<see cref="ReadText"/>).
    /// </summary>
    private static ApiError? CheckSyntax(ReadOnlySpan<byte> body)
    {
        var malformed = new ApiError(ErrorCodes.ValidationError, "The request body must be a well-formed JSON object.");
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = s_options.MaxDepth });
        var objects = new Stack<HashSet<string>>();
        var path = new List<string>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        path.Add(string.Empty);
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (!objects.Peek().Add(name))
                        {
                            return DuplicateProperty(name);
                        }

                        path[^1] = name;
                        if (!FreeText.IsStorable(name))
                        {
                            return NotStorable(path);
                        }

                        if (FreeText.ContainsCardNumber(name))
                        {
                            return CardNumber(path);
                        }

                        break;
                    case JsonTokenType.String:
                        if (ReadText(ref reader) is not { } text || !FreeText.IsStorable(text))
                        {
                            return NotStorable(path);
                        }

                        if ((path.Count == 0 || !s_cardDataProperties.Contains(path[^1])) && FreeText.ContainsCardNumber(text))
                        {
                            return CardNumber(path);
                        }

                        break;
                }
            }

            return reader.BytesConsumed > 0 ? null : malformed;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a property name that is not valid UTF-8.
            return malformed;
        }
    }

    /// <summary>
    /// A string of the body, in a property the request knows or not, as text: null when it is not valid UTF-8 (the reader
    /// checks that only for the strings the binder reads). Every string must also be without U+0000, which PostgreSQL's
    /// text cannot hold, and, outside the properties that carry card data, without a card number: one rule for every
    /// field, so no field that forgot it can fail a statement or keep a card number.
    /// </summary>
    private static string? ReadText(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // Not valid UTF-8, or a lone surrogate once unescaped.
        }
    }

    private static ApiError NotStorable(List<string> path) => AtField(path, field => $"{field} must be valid UTF-8 text without the character U+0000.");

    private static ApiError CardNumber(List<string> path) => AtField(path, FreeText.CardNumberMessage);

    /// <summary>
    /// A validation error naming the property as a dotted path ("metadata.order"), as far as its names are plain and
    /// hold no card number: a name that is the problem itself is not echoed (the field is then its parent).
    /// </summary>
    private static ApiError AtField(List<string> path, Func<string, string> message)
    {
        var names = path.Where(name => name.Length > 0).TakeWhile(name => IsPlain(name) && !FreeText.ContainsCardNumber(name)).ToList();
        var field = string.Join('.', names);
        return field.Length > 0
            ? ApiError.Validation(field, message(field))
            : new ApiError(ErrorCodes.ValidationError, message("A text of the request body"));
    }

    private static bool IsPlain(string name) => name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static ApiError DuplicateProperty(string name)
    {
        // Echo the name only when it is short and plain; the field is then the property it names.
        return IsPlain(name) && !FreeText.ContainsCardNumber(name)
            ? ApiError.Validation(name, $"The request body has a duplicate property \"{name}\": each property may appear once.")
            : new ApiError(ErrorCodes.ValidationError, "The request body has a duplicate property: each property may appear once.");
    }

    /// <summary>Whether a JSON Content-Type names no charset, or only UTF-8 ("utf-8", or the common "utf8"), in any case.</summary>
    internal static bool DeclaresUtf8OrNothing(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        foreach (var parameter in mediaType.Parameters)
        {
            if (parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var charset = HeaderUtilities.RemoveQuotes(parameter.Value);
                if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ApiError FromJsonError(JsonException error, JsonTypeInfo request)
    {
        var path = JsonPathSegments(error.Path);
        if (path is null || path.Count == 0)
        {
            return new ApiError(ErrorCodes.ValidationError, "The request body must be a well-formed JSON object.");
        }

        var field = FieldOf(path);
        if (IsUnknownProperty(request, path))
        {
            return field.Length > 0
                ? ApiError.Validation(field, $"{field} is not a property of this request: check its spelling against the API reference.")
                : new ApiError(ErrorCodes.ValidationError, "The request body has a property this request does not have.");
        }

        return path[^1].Name is { } name && name.Equals("amount", StringComparison.OrdinalIgnoreCase)
            ? ApiError.InvalidAmount("amount must be an integer number of minor units (a JSON number, no fraction, within range).")
            : field.Length > 0
                ? ApiError.Validation(field, $"{field} is malformed or has the wrong JSON type.")
                : new ApiError(ErrorCodes.ValidationError, "A value of the request body is malformed or has the wrong JSON type.");
    }

    /// <summary>
    /// Whether the path ends at a property its object does not have, walking the request's contract: the serializer
    /// refuses such a property with the same exception as a value of the wrong type, and only the contract tells them
    /// apart. Keys of a dictionary (metadata) are never unknown.
    /// </summary>
    private static bool IsUnknownProperty(JsonTypeInfo type, IReadOnlyList<JsonPathSegment> path)
    {
        for (var i = 0; i < path.Count; i++)
        {
            if (path[i].Name is not { } name)
            {
                if (type.ElementType is null)
                {
                    return false;
                }

                type = s_options.GetTypeInfo(type.ElementType);
                continue;
            }

            switch (type.Kind)
            {
                case JsonTypeInfoKind.Object:
                    var property = type.Properties.FirstOrDefault(known => known.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                    if (property is null)
                    {
                        return i == path.Count - 1;
                    }

                    type = s_options.GetTypeInfo(property.PropertyType);
                    break;
                case JsonTypeInfoKind.Dictionary when type.ElementType is not null:
                    type = s_options.GetTypeInfo(type.ElementType);
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>A property name or an array index of a JSON path.</summary>
    internal readonly record struct JsonPathSegment(string? Name, int Index);

    /// <summary>
    /// The field a path names, as the API's validation errors write it: "$.items[2].quantity" gives "items[2].quantity".
    /// It stops before the first name that is not plain (it would be echoed), so it may be empty.
    /// </summary>
    internal static string FieldOf(IReadOnlyList<JsonPathSegment> path)
    {
        var field = new System.Text.StringBuilder();
        foreach (var segment in path)
        {
            if (segment.Name is null)
            {
                if (field.Length == 0)
                {
                    break;
                }

                field.Append('[').Append(segment.Index).Append(']');
            }
            else if (IsPlain(segment.Name))
            {
                field.Append(field.Length > 0 ? "." : string.Empty).Append(segment.Name);
            }
            else
            {
                break;
            }
        }

        return field.ToString();
    }

    /// <summary>
    /// The segments of a System.Text.Json error path ("$.a[2]['b c']"), or null when it is not one: the serializer
    /// writes a name in brackets and quotes when it is not a plain identifier.
    /// </summary>
    internal static IReadOnlyList<JsonPathSegment>? JsonPathSegments(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return null;
        }

        var segments = new List<JsonPathSegment>();
        var at = 1;
        while (at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                end = end < 0 ? path.Length : end;
                if (end == at + 1)
                {
                    return null;
                }

                segments.Add(new JsonPathSegment(path[(at + 1)..end], 0));
                at = end;
            }
            else if (path.AsSpan(at).StartsWith("['"))
            {
                var end = path.IndexOf("']", at + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                segments.Add(new JsonPathSegment(path[(at + 2)..end], 0));
                at = end + 2;
            }
            else if (path[at] == '[')
            {
                var end = path.IndexOf(']', at + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(at + 1, end - at - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    return null;
                }

                segments.Add(new JsonPathSegment(null, index));
                at = end + 1;
            }
            else
            {
                return null;
            }
        }

        return segments;
    }
}
