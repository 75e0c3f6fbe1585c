using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.Idempotency;
using Payments.Grains.Interfaces.Errors;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>Endpoint metadata: error codes an endpoint answers with besides those <see cref="ErrorResponses"/> infers.</summary>
public sealed record ErrorCodesMetadata(IReadOnlyList<string> Codes);

/// <summary>Endpoint metadata: an error code this endpoint answers with another status than its usual one.</summary>
public sealed record ErrorStatusMetadata(string Code, int Status);

/// <summary>
/// The error responses of each operation in the OpenAPI document: one response per status, the shared <c>Error</c>
/// schema, and the codes that status carries for this operation. Codes come from the endpoint's own
/// <see cref="ProducesErrors{TBuilder}"/> and from what every endpoint of its kind can answer (a session or operator
/// token → UNAUTHENTICATED, the rate limiter → RATE_LIMITED, a JSON body → VALIDATION_ERROR, REQUEST_TOO_LARGE,
/// UNSUPPORTED_MEDIA_TYPE, an Idempotency-Key → its codes, anything under /v1 → SERVICE_UNAVAILABLE).
/// </summary>
public static class ErrorResponses
{
    public const string ErrorSchemaId = "Error";
    public const string RetryAfterHeaderId = "Retry-After";

    /// <summary>Declares the error codes this endpoint answers with (besides the inferred ones).</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ErrorCodesMetadata(codes));

    /// <summary>Declares an error code this endpoint answers with <paramref name="status"/> instead of its usual status.</summary>
    public static TBuilder ProducesError<TBuilder>(this TBuilder builder, string code, int status) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ErrorCodesMetadata([code]), new ErrorStatusMetadata(code, status));

    /// <summary>Every error code the API can answer with, from <see cref="ErrorCodes"/> and <see cref="ApiErrorCodes"/>.</summary>
    public static IReadOnlyList<string> AllCodes { get; } = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Concat(typeof(ApiErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The codes an operation can answer with: declared and inferred.</summary>
    public static SortedSet<string> CodesOf(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var codes = new SortedSet<string>(metadata.OfType<ErrorCodesMetadata>().SelectMany(declared => declared.Codes), StringComparer.Ordinal);
        if (OperationSecurity.SchemesOf(metadata).Count > 0)
        {
            codes.Add(ErrorCodes.Unauthenticated);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            codes.Add(ErrorCodes.RateLimited);
        }

        if (operation.RequestBody is not null)
        {
            codes.UnionWith([ErrorCodes.ValidationError, ErrorCodes.RequestTooLarge, ErrorCodes.UnsupportedMediaType]);
        }

        if (context.Description.ParameterDescriptions.Any(parameter => parameter.Source == BindingSource.Query))
        {
            codes.Add(ErrorCodes.ValidationError);
        }

        if (metadata.OfType<TakesIdempotencyKey>().FirstOrDefault() is { } idempotency)
        {
            codes.UnionWith([ErrorCodes.ValidationError, ErrorCodes.IdempotencyKeyReused]);
            if (idempotency.Required)
            {
                codes.Add(ErrorCodes.IdempotencyKeyRequired);
            }
        }

        if (context.Description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true)
        {
            codes.Add(ErrorCodes.ServiceUnavailable);
        }

        return codes;
    }

    /// <summary>Operation transformer: replaces the operation's error responses with one per status, listing its codes.</summary>
    public static Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        operation.Responses ??= [];
        var statuses = context.Description.ActionDescriptor.EndpointMetadata.OfType<ErrorStatusMetadata>().ToDictionary(declared => declared.Code, declared => declared.Status);
        foreach (var status in CodesOf(operation, context).GroupBy(code => statuses.GetValueOrDefault(code, ErrorCodes.StatusOf(code))).OrderBy(group => group.Key))
        {
            operation.Responses[status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Response(status.Key, [.. status], context.Document!);
        }

        return Task.CompletedTask;
    }

    private static OpenApiResponse Response(int status, IReadOnlyList<string> codes, OpenApiDocument document)
    {
        var response = new OpenApiResponse
        {
            Description = $"{ReasonPhrases.GetReasonPhrase(status)}: {string.Join(", ", codes.Select(code => $"`{code}`"))}.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorSchemaId, document) },
            },
        };
        if (status is StatusCodes.Status423Locked or StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader> { [RetryAfterHeaderId] = new OpenApiHeaderReference(RetryAfterHeaderId, document) };
        }

        return response;
    }

    /// <summary>The shared error object, <c>{code, message, field?, retryable?, retryAfter?, line?}</c>.</summary>
    public static OpenApiSchema ErrorSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "The one error shape of the API. Bad input changes nothing; a `retryable` error may be retried with the same Idempotency-Key.",
        Required = new HashSet<string> { "code", "message" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "A stable, machine-readable code; each operation lists the codes it can answer with.",
                Enum = [.. AllCodes.Select(code => (System.Text.Json.Nodes.JsonNode)code)],
            },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong, for people; its wording may change." },
            ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request field (body property, query parameter or header) at fault, when there is one." },
            ["retryable"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "True when the same request may succeed later; absent otherwise." },
            ["retryAfter"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "Seconds to wait before retrying (also in the Retry-After header), when the refusal ends at a known time." },
            ["line"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The line of a text body (a bank statement, 1 for its header) the error is on." },
        },
        Examples =
        [
            new System.Text.Json.Nodes.JsonObject
            {
                ["code"] = ErrorCodes.InsufficientFunds,
                ["message"] = "Your balance is 25.00 USD; this transfer needs 100.00 USD.",
                ["field"] = "amount",
            },
        ],
    };

    /// <summary>The Retry-After header of refusals that end (423, 429, 503).</summary>
    public static OpenApiHeader RetryAfterHeader() => new()
    {
        Description = "Seconds to wait before retrying.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
    };
}
