using Microsoft.AspNetCore.Http;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Errors;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.ApiFrontend.Idempotency;

/// <summary>The <c>Idempotency-Key</c> header every money-moving POST must carry.</summary>
public static class IdempotencyHeader
{
    public const string Name = "Idempotency-Key";

    /// <summary>Missing or empty: 400 IDEMPOTENCY_KEY_REQUIRED. Repeated, too long or not visible ASCII: 400 VALIDATION_ERROR.</summary>
    public static Parsed<IdempotencyKey> Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers[Name];
        if (values.Count == 0 || (values.Count == 1 && string.IsNullOrEmpty(values[0])))
        {
            return new ApiError(ErrorCodes.IdempotencyKeyRequired, $"This request moves money and needs an {Name} header (1–{IdempotencyKey.MaxLength} characters).");
        }

        if (values.Count > 1 || !IdempotencyKey.TryParse(values[0], out var key))
        {
            return ApiError.Validation(Name, $"{Name} must be one value of 1–{IdempotencyKey.MaxLength} visible ASCII characters (no spaces).");
        }

        return key;
    }

    /// <summary>For endpoints where the header is optional: absent gives no key (and no error); present, it must be valid.</summary>
    public static Parsed<IdempotencyKey?> ReadOptional(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers[Name].Count == 0)
        {
            return new Parsed<IdempotencyKey?>(null, null);
        }

        var key = Read(request);
        return key.Error is { } error ? error : key.Value;
    }

    /// <summary>Endpoint metadata: this endpoint requires the header (documented in OpenAPI).</summary>
    public static TakesIdempotencyKey Metadata { get; } = new(Required: true);

    /// <summary>Endpoint metadata: this endpoint accepts the header but does not require it (documented in OpenAPI).</summary>
    public static TakesIdempotencyKey OptionalMetadata { get; } = new(Required: false);

    /// <summary>The idempotency grain's key: the caller's scope and the client's key.</summary>
    public static string GrainKey(string userId, IdempotencyKey key) => $"{userId}/{key.Value}";
}

/// <summary>Marks an endpoint that takes the <c>Idempotency-Key</c> header (required, or optional).</summary>
public sealed record TakesIdempotencyKey(bool Required);
