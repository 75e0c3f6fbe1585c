using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Idempotency;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>The <c>Idempotency-Key</c> header as shared parameters: required on endpoints that move money, optional where it only deduplicates.</summary>
public static class IdempotencyKeyParameter
{
    public const string RequiredId = "IdempotencyKey";
    public const string OptionalId = "IdempotencyKeyOptional";

    /// <summary>Operation transformer: declares the header on endpoints carrying <see cref="TakesIdempotencyKey"/>.</summary>
    public static Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<TakesIdempotencyKey>().FirstOrDefault() is { } header)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameterReference(header.Required ? RequiredId : OptionalId, context.Document));
        }

        return Task.CompletedTask;
    }

    public static Dictionary<string, IOpenApiParameter> Components() => new()
    {
        [RequiredId] = Parameter(required: true),
        [OptionalId] = Parameter(required: false),
    };

    private static OpenApiParameter Parameter(bool required) => new()
    {
        Name = IdempotencyHeader.Name,
        In = ParameterLocation.Header,
        Required = required,
        Description = $"1–{IdempotencyKey.MaxLength} visible ASCII characters, unique per operation you mean (a UUID is a good choice). A retry with the same key and body answers what the first attempt answered and does nothing again; the same key with another body is refused with `IDEMPOTENCY_KEY_REUSED`. Keys are scoped to the caller and kept for 24 hours.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.MaxLength },
        Example = "tour-transfer-1",
    };
}
