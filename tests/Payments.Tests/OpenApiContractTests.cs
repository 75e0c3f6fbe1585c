using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Payments.ApiFrontend.OpenApi;
using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// The OpenAPI contract: the served document is the committed one (docs/openapi.json, which Redocly lints in CI and
/// the typed client is generated from), every operation says what it is, how to authenticate and which errors it
/// answers, and the reference page serves it.
/// </summary>
public sealed class OpenApiContractTests() : ApiTest("openapi")
{
    /// <summary>Set to 1 to rewrite docs/openapi.json from the server instead of comparing.</summary>
    private const string UpdateVariable = "PAYMENTS_UPDATE_OPENAPI";

    private static readonly string[] s_methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task The_served_document_is_the_committed_one()
    {
        var served = await ServedDocumentAsync();
        var committedPath = Path.Combine(RepositoryRoot.Path, "docs", "openapi.json");
        var servedText = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(committedPath, servedText);
        }

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath));
        Assert.True(
            JsonNode.DeepEquals(served, committed),
            $"The server's OpenAPI document differs from docs/openapi.json. If the change is meant, run `{UpdateVariable}=1 dotnet test tests/Payments.Tests --filter {nameof(OpenApiContractTests)}`, regenerate the client (Client/generate.sh) and commit both.");
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_a_tag_its_security_and_its_errors()
    {
        var document = await ServedDocumentAsync();
        var tags = document["tags"]!.AsArray().Select(tag => tag!["name"]!.GetValue<string>()).ToHashSet();
        var operations = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var method in s_methods.Where(method => item![method] is not null))
            {
                var operation = item![method]!;
                var name = $"{method.ToUpperInvariant()} {path}";
                operations++;
                Assert.False(string.IsNullOrWhiteSpace(operation["operationId"]?.GetValue<string>()), $"{name}: no operationId");
                Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{name}: no summary");
                Assert.True(operation["tags"]?.AsArray().Count == 1 && tags.Contains(operation["tags"]![0]!.GetValue<string>()), $"{name}: not under one described tag");
                Assert.True(operation["security"] is JsonArray, $"{name}: no security requirement (an empty one for open endpoints)");

                var responses = operation["responses"]!.AsObject();
                Assert.Contains(responses, response => response.Key.StartsWith('2') || response.Key == "101");
                // Health probes refuse nothing (readiness answers 503 with its report); every other operation can be refused.
                if (!path.StartsWith("/health/", StringComparison.Ordinal))
                {
                    Assert.Contains(responses, response => response.Key.StartsWith('4'));
                }

                foreach (var (status, response) in responses.Where(response => response.Key[0] is '4' or '5'))
                {
                    // Health probes answer 503 with their report; a merchant payment's declined card (402) answers the error
                    // with its decline code and the failed payment; everything else, a declined funding pull of a P2P send
                    // among them, answers the one error shape.
                    var schema = response!["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                    if (status == "402" && path.StartsWith("/v1/payments", StringComparison.Ordinal))
                    {
                        Assert.Equal("#/components/schemas/CardDeclinedBody", schema);
                    }
                    else if (!path.StartsWith("/health", StringComparison.Ordinal))
                    {
                        Assert.Equal("#/components/schemas/Error", schema);
                    }

                    Assert.False(string.IsNullOrWhiteSpace(response!["description"]?.GetValue<string>()), $"{name} {status}: no description");
                }
            }
        }

        Assert.True(operations >= 40, $"Only {operations} operations in the document.");
        Assert.Equal(["apiKey", "browserSession", "operator", "session"], document["components"]!["securitySchemes"]!.AsObject().Select(scheme => scheme.Key).Order());
        var declined = document["components"]!["schemas"]!["CardDeclinedBody"]!["properties"]!.AsObject().Select(property => property.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "code", "message", "retryable", "declineCode", "payment" }, declined);
    }

    [Fact]
    public async Task Money_moving_operations_require_an_idempotency_key_and_lists_share_the_paging_parameters()
    {
        var document = await ServedDocumentAsync();
        var paths = document["paths"]!;
        IEnumerable<string> References(string path, string method) =>
            paths[path]![method]!["parameters"]?.AsArray().Select(parameter => parameter!["$ref"]?.GetValue<string>() ?? parameter["name"]!.GetValue<string>()) ?? [];

        foreach (var path in new[]
        {
            "/v1/transfers", "/v1/wallet/deposits", "/v1/wallet/withdrawals", "/v1/requests/{id}/pay", "/v1/payments", "/v1/payments/{id}/capture",
            "/v1/payments/{id}/void", "/v1/payments/{id}/confirm", "/v1/refunds",
        })
        {
            Assert.Contains("#/components/parameters/IdempotencyKey", References(path, "post"));
        }

        Assert.Contains("#/components/parameters/IdempotencyKeyOptional", References("/v1/requests", "post"));
        Assert.True(document["components"]!["parameters"]!["IdempotencyKey"]!["required"]!.GetValue<bool>());
        Assert.False(document["components"]!["parameters"]!["IdempotencyKeyOptional"]!["required"]?.GetValue<bool>() ?? false);

        foreach (var path in new[] { "/v1/wallet/transactions", "/v1/feed", "/v1/feed/public", "/v1/friends", "/v1/requests", "/v1/admin/streams/dead-letters", "/v1/payments", "/v1/merchants" })
        {
            Assert.Contains("#/components/parameters/limit", References(path, "get"));
            Assert.Contains("#/components/parameters/startingAfter", References(path, "get"));
        }
    }

    [Fact]
    public void Every_example_reads_as_its_type_and_back_unchanged()
    {
        foreach (var (type, example) in ApiExamples.All)
        {
            var value = JsonSerializer.Deserialize(example, type, PaymentsJson.Options);
            Assert.NotNull(value);
            var again = JsonSerializer.SerializeToNode(value, type, PaymentsJson.Options);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(example), again), $"{type.Name}: the example has properties its type does not (or misses ones it has): {example} → {again}");
        }
    }

    [Fact]
    public async Task The_reference_page_reads_the_document()
    {
        var page = await Api.Http.GetAsync(ApiReference.ReferencePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // Scalar's page names the document relative to the site's base path, and loads its script beside itself.
        Assert.Contains($"\"url\":\"{ApiReference.DocumentPath.TrimStart('/')}\"", html, StringComparison.Ordinal);
        var script = await Api.Http.GetAsync($"{ApiReference.ReferencePath}/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Every_endpoint_refuses_exactly_the_query_parameters_the_document_does_not_declare()
    {
        var document = await ServedDocumentAsync();
        var checkedOperations = 0;
        foreach (var endpoint in Silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern.RawText ?? string.Empty;
            if (!route.StartsWith("/v1/", StringComparison.Ordinal) || QueryParameterNames.NamesOf(endpoint) is not { } taken)
            {
                continue;
            }

            // The document writes a route without its constraints and without a group's trailing slash.
            var path = System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:?]+)[^}]*\}", "{$1}").TrimEnd('/');
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var operation = document["paths"]?[path]?[method.ToLowerInvariant()];
                Assert.True(operation is not null, $"{method} {path} is not in the document");
                var declared = (operation!["parameters"]?.AsArray() ?? [])
                    .Select(parameter => parameter!["$ref"] is { } reference ? document["components"]!["parameters"]![reference.GetValue<string>().Split('/')[^1]]! : parameter!)
                    .Where(parameter => parameter["in"]!.GetValue<string>() == "query")
                    .Select(parameter => parameter["name"]!.GetValue<string>())
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
                Assert.True(declared.SetEquals(taken), $"{method} {path}: takes [{string.Join(", ", taken.Order())}], the document declares [{string.Join(", ", declared.Order())}]");
                checkedOperations++;
            }
        }

        Assert.True(checkedOperations > 90, $"only {checkedOperations} operations were compared");
    }

    private async Task<JsonNode> ServedDocumentAsync()
    {
        var response = await Api.Http.GetAsync(ApiReference.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
