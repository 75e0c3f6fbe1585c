using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Operations;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// Document transformer: what the document says as a whole. Its info and licence, one server (a local silo, so the
/// document does not depend on the request that fetched it), the tags with their descriptions, and the shared
/// components the operations refer to: security schemes, the error schema, the Retry-After header, and the paging
/// and Idempotency-Key parameters. It also adds <c>/metrics</c> and <c>/dashboard</c>, whose endpoints (Prometheus'
/// exporter, the Orleans Dashboard's application) describe nothing themselves.
/// </summary>
public static class ApiDocument
{
    public const string Title = "Orleans.Payments API";

    public const string LocalServer = "http://127.0.0.1:5080";

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = Title,
            Version = "v1",
            Description = """
                Wallets, peer-to-peer transfers, payment requests, friends, a social feed and real-time notifications,
                on a Microsoft Orleans cluster with a double-entry ledger in PostgreSQL.

                Authenticate with `Authorization: Bearer <token>`: a session token from `POST /v1/sessions` for users,
                the operator token for `/v1/admin`. Amounts are integers in cents (USD). Requests that move money take
                an `Idempotency-Key` header: a retry with the same key and body returns the first answer and moves
                nothing again, so retry a `retryable` error (503, 429) with the same key. Errors are
                `{code, message, field?, retryable?, retryAfter?, line?}`. Lists are `{data, hasMore}`, paged with `limit`
                and `startingAfter`.
                """,
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };
        document.Servers = [new OpenApiServer { Url = LocalServer, Description = "A silo on its embedded default (`dotnet run --project Silo`)" }];
        document.Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }));

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = OperationSecurity.Schemes();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ErrorResponses.ErrorSchemaId] = ErrorResponses.ErrorSchema();
        document.Components.Headers = new Dictionary<string, IOpenApiHeader> { [ErrorResponses.RetryAfterHeaderId] = ErrorResponses.RetryAfterHeader() };
        document.Components.Parameters = new Dictionary<string, IOpenApiParameter>(PagingParameters.Components().Concat(IdempotencyKeyParameter.Components()));

        document.Paths ??= [];
        document.Paths[OperatorEndpoints.MetricsPath] = OperatorPath(
            document,
            "GetMetrics",
            "Prometheus metrics",
            "Orleans' meter, the project's meters (`Payments.*`: ledger entries by outcome, stream delivery, authentication) and ASP.NET Core's, in Prometheus' text format.",
            "text/plain");
        document.Paths[OperatorEndpoints.DashboardPath] = OperatorPath(
            document,
            "GetDashboard",
            "Orleans Dashboard",
            "The Orleans Dashboard, an HTML application: silos, grain activations, calls and reminders. The requests it makes under `/dashboard/` are its own and not part of this API.",
            "text/html");
        return Task.CompletedTask;
    }

    private static OpenApiPathItem OperatorPath(OpenApiDocument document, string operationId, string summary, string description, string mediaType) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                OperationId = operationId,
                Summary = summary,
                Description = description,
                Tags = new HashSet<OpenApiTagReference> { new(ApiTags.Operations, document) },
                Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OperationSecurity.OperatorSchemeId, document)] = [] }],
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse
                    {
                        Description = "OK.",
                        Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                    },
                    ["401"] = new OpenApiResponse
                    {
                        Description = "Unauthorized: `UNAUTHENTICATED`.",
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchemaReference(ErrorResponses.ErrorSchemaId, document) } },
                    },
                },
            },
        },
    };
}
