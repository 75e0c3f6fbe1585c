using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, built from the endpoints and completed by the transformers here,
/// and the interactive reference (Scalar) at <c>/docs</c>, which reads it.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";

    /// <summary>The document's transformers; operation transformers run in order, so error responses see every parameter.</summary>
    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer(ApiDocument.TransformAsync);
        options.AddOperationTransformer(OperationSecurity.DocumentAsync);
        options.AddOperationTransformer(IdempotencyKeyParameter.DocumentAsync);
        options.AddOperationTransformer(PagingParameters.DocumentAsync);
        options.AddOperationTransformer(ErrorResponses.DocumentAsync);
        options.AddSchemaTransformer(NullableProperties.DocumentAsync);
        options.AddSchemaTransformer(ClosedRequestBodies.DocumentAsync);
        options.AddSchemaTransformer(ApiExamples.DocumentAsync);
    }

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath);
        endpoints.MapScalarApiReference(ReferencePath, reference => reference
            .WithTitle(ApiDocument.Title)
            .WithOpenApiRoutePattern(DocumentPath)
            .AddPreferredSecuritySchemes([OperationSecurity.SessionSchemeId])
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl)
            .DisableTelemetry()
            .DisableDefaultFonts());
        return endpoints;
    }
}
