using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// Reads a JSON request body strictly: application/json in UTF-8 only (another media type or a charset other than
/// UTF-8 is 415), at most <see cref="MaxBytes"/> (else 413), numbers as JSON numbers (a quoted number is a type
/// error), no duplicate properties (a repeated key, in any letter case since binding ignores case, is a 400 that says
/// "duplicate property"), and every parse failure a 400 naming the field the JSON path points at. An "amount" that
/// is not an integer that fits (1.5, 1e30, 99999999999999999999, "10") is INVALID_AMOUNT.
/// </summary>
public static class JsonBody
{
    /// <summary>The request body limit (64 KiB), also set on Kestrel.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 16,
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
            return FromJsonError(error);
        }

        return value is null ? new ApiError(ErrorCodes.ValidationError, "A JSON object body is required.") : value;
    }

    /// <summary>
    /// Syntax only, so that a syntax error is reported as such and not as a bad value of the field it stopped at; and
    /// repeated property names, so that the answer says what is wrong.
    /// </summary>
    private static ApiError? CheckSyntax(ReadOnlySpan<byte> body)
    {
        var malformed = new ApiError(ErrorCodes.ValidationError, "The request body must be a well-formed JSON object.");
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = s_options.MaxDepth });
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (!objects.Peek().Add(name))
                        {
                            return DuplicateProperty(name);
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

    private static ApiError DuplicateProperty(string name)
    {
        // Echo the name only when it is short and plain; the field is then the property it names.
        var plain = name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        return plain
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

    private static ApiError FromJsonError(JsonException error)
    {
        var field = FieldOf(error.Path);
        return field switch
        {
            null => new ApiError(ErrorCodes.ValidationError, "The request body must be a well-formed JSON object."),
            _ when field.Equals("amount", StringComparison.OrdinalIgnoreCase) => ApiError.InvalidAmount("amount must be an integer number of minor units (a JSON number, no fraction, within range)."),
            _ => ApiError.Validation(field, $"{field} is malformed or has the wrong JSON type."),
        };
    }

    /// <summary>The last property name of a JSON path: "$.amount" and "$['amount']" give "amount", "$.a[2]" gives "a", "$" gives null.</summary>
    internal static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var end = path.Length;
        while (end > 0 && path[end - 1] == ']' && !path[..end].EndsWith("']", StringComparison.Ordinal))
        {
            // Drop trailing array indices.
            var open = path.LastIndexOf('[', end - 1);
            if (open < 0)
            {
                return null;
            }

            end = open;
        }

        var trimmed = path[..end];
        if (trimmed.EndsWith("']", StringComparison.Ordinal))
        {
            var start = trimmed.LastIndexOf("['", StringComparison.Ordinal);
            return start < 0 ? null : trimmed[(start + 2)..^2];
        }

        var dot = trimmed.LastIndexOf('.');
        return dot < 0 || dot == trimmed.Length - 1 ? null : trimmed[(dot + 1)..];
    }
}
