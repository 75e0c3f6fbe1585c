using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// Reads a JSON request body strictly: application/json only (else 415), at most <see cref="MaxBytes"/> (else 413),
/// numbers as JSON numbers (a quoted number is a type error), no duplicate properties, and every parse failure a 400
/// naming the field the JSON path points at. An "amount" that is not an integer that fits (1.5, 1e30,
/// 99999999999999999999, "10") is INVALID_AMOUNT.
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

        if (request.ContentLength > MaxBytes)
        {
            return StatusCodeErrors.For(StatusCodes.Status413PayloadTooLarge);
        }

        // Kestrel enforces MaxRequestBodySize while this reads (BadHttpRequestException 413, handled by the middleware).
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var body = new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (!IsWellFormed(body))
        {
            return new ApiError(ErrorCodes.ValidationError, "The request body must be a well-formed JSON object.");
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

    /// <summary>Syntax only, so that a syntax error is reported as such and not as a bad value of the field it stopped at.</summary>
    private static bool IsWellFormed(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = s_options.MaxDepth });
        try
        {
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
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
