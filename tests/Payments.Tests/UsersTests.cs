using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Profiles and search over HTTP.</summary>
public sealed class UsersTests() : ApiTest("users")
{
    [Fact]
    public async Task Me_and_search_by_username_or_display_name_prefix()
    {
        var created = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "search_olivia", displayName = "Olivia Pope", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.DoesNotContain("password", created.Body, StringComparison.OrdinalIgnoreCase);
        await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "search_oscar", displayName = "Oscar Wilde", password = "correct horse battery" });
        await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "search_pat", displayName = "Olga Smith", password = "correct horse battery" });
        var token = (await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "search_olivia", password = "correct horse battery" })).Json["token"]!.GetValue<string>();

        var me = await Api.SendAsync(HttpMethod.Get, "/v1/users/me", token);
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("search_olivia", me.Json["username"]!.GetValue<string>());
        Assert.Equal("Olivia Pope", me.Json["displayName"]!.GetValue<string>());

        Assert.Equal(["search_olivia", "search_oscar"], await SearchAsync(token, "search_o"));
        Assert.Equal(["search_olivia", "search_pat"], await SearchAsync(token, "ol"));
        Assert.Equal(["search_olivia", "search_pat"], await SearchAsync(token, "OL"));
        Assert.Empty(await SearchAsync(token, "%"));
        Assert.Empty(await SearchAsync(token, "nobody"));
    }

    private async Task<List<string>> SearchAsync(string token, string query)
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/v1/users/search?q={Uri.EscapeDataString(query)}", token);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.AsArray().Select(user => user!["username"]!.GetValue<string>()).Order().ToList();
    }
}
