using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.ApiFrontend.Authentication;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>
/// The security schemes of the OpenAPI document and which one each operation takes, read from the endpoint's
/// authorization metadata: the operator policy → <c>operator</c>; the merchant policy → <c>apiKey</c>; the dashboard policy → <c>apiKey</c>,
/// <c>session</c> or <c>browserSession</c> (any one); any other authorization → <c>session</c> or <c>browserSession</c> (the web
/// app's cookie); anonymous endpoints declare an empty requirement (no credentials).
/// </summary>
public static class OperationSecurity
{
    public const string SessionSchemeId = "session";
    public const string OperatorSchemeId = "operator";
    public const string ApiKeySchemeId = "apiKey";
    public const string BrowserSessionSchemeId = "browserSession";

    /// <summary>The schemes an endpoint accepts (any one of them), or none when it is open to anyone.</summary>
    public static IReadOnlyList<string> SchemesOf(IList<object> endpointMetadata)
    {
        ArgumentNullException.ThrowIfNull(endpointMetadata);
        if (endpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            return [];
        }

        var policies = endpointMetadata.OfType<IAuthorizeData>().Select(requirement => requirement.Policy).ToList();
        return policies.Count == 0 ? []
            : policies.Contains(ApiAuth.AdminPolicy) ? [OperatorSchemeId]
            : policies.Contains(ApiAuth.MerchantPolicy) ? [ApiKeySchemeId]
            : policies.Contains(ApiAuth.DashboardPolicy) ? [ApiKeySchemeId, SessionSchemeId, BrowserSessionSchemeId]
            : [SessionSchemeId, BrowserSessionSchemeId];
    }

    /// <summary>Operation transformer: the operation's security requirement.</summary>
    public static Task DocumentAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        operation.Security = [.. SchemesOf(context.Description.ActionDescriptor.EndpointMetadata)
            .Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })];
        if (context.Description.ActionDescriptor.EndpointMetadata.Contains(BearerToken.QueryTokenAllowed))
        {
            // A WebSocket upgrade from a browser cannot set headers: the session token may come in the query instead.
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = BearerToken.QueryParameter,
                In = ParameterLocation.Query,
                Description = "The session token, for clients that cannot set the Authorization header on an upgrade.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>The schemes, for the document's components.</summary>
    public static Dictionary<string, IOpenApiSecurityScheme> Schemes() => new()
    {
        [ApiKeySchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A merchant's secret API key, from `POST /v1/merchants/{id}/api_keys` (shown once): `Authorization: Bearer sk_test_…`. Revoked keys stop at once; a rolled key works until the end of the grace period chosen.",
        },
        [SessionSchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A user's session token, from `POST /v1/sessions`: `Authorization: Bearer <token>`. It lasts 30 days unless revoked with `DELETE /v1/sessions/current`.",
        },
        [BrowserSessionSchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = BrowserSession.SessionCookie,
            Description = "The web app's session: the same session in an HttpOnly, SameSite=Strict cookie set by `POST /v1/sessions/browser`. Requests it authenticates must not come from another origin, and those that change something repeat the sign-in's `csrfToken` in `X-CSRF-Token`; otherwise 403 `CSRF_REJECTED`.",
        },
        [OperatorSchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator token the deployment sets in `Payments__AdminToken` (at least 24 characters): `Authorization: Bearer <token>`. Operator endpoints are closed when it is unset.",
        },
    };
}
