using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The API's own surface: the OpenAPI document and per-caller rate limiting.</summary>
public sealed class ApiSurfaceTests
{
    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("openapi"));
        using var http = silo.CreateClient();
        var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync();
        foreach (var path in new[] { "/v1/users", "/v1/sessions", "/v1/wallet", "/v1/wallet/deposits", "/v1/transfers", "/v1/admin/ledger/audit" })
        {
            Assert.Contains($"\"{path}", document);
        }

        // The social endpoints, and the Idempotency-Key: required to pay a request, optional to create one.
        var paths = System.Text.Json.Nodes.JsonNode.Parse(document)!["paths"]!;
        foreach (var path in new[] { "/v1/requests", "/v1/requests/{id}/pay", "/v1/friends", "/v1/friends/requests", "/v1/feed", "/v1/feed/public", "/v1/feed/{transferId}/comments" })
        {
            Assert.NotNull(paths[path]);
        }

        bool? KeyRequired(string path) => paths[path]!["post"]!["parameters"]?.AsArray()
            .SingleOrDefault(parameter => parameter!["name"]!.GetValue<string>() == "Idempotency-Key")?["required"]?.GetValue<bool>();
        Assert.True(KeyRequired("/v1/requests/{id}/pay"));
        Assert.False(KeyRequired("/v1/requests") ?? false);
        Assert.NotNull(paths["/v1/requests"]!["post"]!["parameters"]!.AsArray().SingleOrDefault(parameter => parameter!["name"]!.GetValue<string>() == "Idempotency-Key"));
    }

    [Fact]
    public async Task Each_caller_is_rate_limited_on_its_own()
    {
        await using var silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("ratelimit"), new Dictionary<string, string?>
        {
            ["Payments:Api:RateLimit:PermitsPerSecond"] = "1",
            ["Payments:Api:RateLimit:Burst"] = "10",
        });
        using var http = silo.CreateClient();
        var api = new ApiClient(http);
        var busy = await api.SignUpAsync("limited_busy");
        var quiet = await api.SignUpAsync("limited_quiet");

        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => api.SendAsync(HttpMethod.Get, "/v1/wallet", busy.Token)));
        var limited = burst.Where(response => response.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, response =>
        {
            Assert.Equal("RATE_LIMITED", response.Code);
            Assert.True(response.Json["retryable"]!.GetValue<bool>());
        });

        // Another user still gets through: the limit is per caller.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, "/v1/wallet", quiet.Token)).Status);
    }
}
