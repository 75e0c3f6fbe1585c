using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// The web app's session: an HttpOnly, SameSite=Strict cookie instead of a bearer token, and a CSRF token that every
/// change made with it must repeat; requests from another origin are refused. Checked over plain HTTP, header by header.
/// </summary>
public sealed class BrowserSessionTests() : ApiTest("browser_session")
{
    [Fact]
    public async Task The_browser_sign_in_sets_an_HttpOnly_cookie_and_answers_a_csrf_token_but_never_the_session_token()
    {
        await Api.SignUpAsync("cookie_user");
        using var http = Silo.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/sessions/browser", new { username = "cookie_user", password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Null(body!["token"]);
        Assert.False(string.IsNullOrEmpty(body["csrfToken"]!.GetValue<string>()));

        var cookies = response.Headers.GetValues("Set-Cookie").ToArray();
        var session = Assert.Single(cookies, cookie => cookie.StartsWith("payments_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        var csrf = Assert.Single(cookies, cookie => cookie.StartsWith("payments_csrf=", StringComparison.Ordinal));
        Assert.DoesNotContain("httponly", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(body["csrfToken"]!.GetValue<string>(), csrf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_with_the_cookie_needs_the_csrf_token_and_the_same_origin_and_changes_nothing_otherwise()
    {
        await Api.SignUpAsync("csrf_user", deposit: 5_000);
        var (session, csrf) = await BrowserSignInAsync("csrf_user");

        // Reads need no token.
        using var read = await SendAsync(HttpMethod.Get, "/v1/wallet", session);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        using var withoutToken = await SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", session, new { amount = 100 });
        await AssertCsrfRejectedAsync(withoutToken);
        using var wrongToken = await SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", session, new { amount = 100 }, csrf: csrf + "x");
        await AssertCsrfRejectedAsync(wrongToken);
        using var otherSite = await SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", session, new { amount = 100 }, csrf: csrf, origin: "https://evil.example");
        await AssertCsrfRejectedAsync(otherSite);
        using var otherSiteRead = await SendAsync(HttpMethod.Get, "/v1/wallet", session, origin: "https://evil.example");
        await AssertCsrfRejectedAsync(otherSiteRead);

        using var unchanged = await SendAsync(HttpMethod.Get, "/v1/wallet", session);
        Assert.Equal(5_000, (await unchanged.Content.ReadFromJsonAsync<JsonObject>())!["balance"]!.GetValue<long>());

        using var allowed = await SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", session, new { amount = 100 }, csrf: csrf, origin: Silo.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        Assert.Equal(4_900, (await allowed.Content.ReadFromJsonAsync<JsonObject>())!["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task Signing_out_revokes_the_cookie_session_and_clears_the_cookies()
    {
        await Api.SignUpAsync("cookie_out");
        var (session, csrf) = await BrowserSignInAsync("cookie_out");
        using var signOut = await SendAsync(HttpMethod.Delete, "/v1/sessions/current", session, csrf: csrf);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), cookie => cookie.StartsWith("payments_session=;", StringComparison.Ordinal));

        using var after = await SendAsync(HttpMethod.Get, "/v1/wallet", session);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task The_web_app_is_served_at_the_root_with_a_strict_content_security_policy_while_unknown_api_paths_stay_json_404s()
    {
        using var http = Silo.CreateClient();
        foreach (var path in new[] { "/", "/merchant/mer_123/payments" })
        {
            using var page = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Contains("<div id=\"root\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        }

        using var missingApi = await http.GetAsync("/v1/no_such_thing");
        Assert.Equal(HttpStatusCode.NotFound, missingApi.StatusCode);
        Assert.Equal("application/json", missingApi.Content.Headers.ContentType!.MediaType);
        using var missingAsset = await http.GetAsync("/assets/missing.js");
        Assert.Equal(HttpStatusCode.NotFound, missingAsset.StatusCode);

        // A path the API takes with another method is the API's 405, not the app's page nor a 404.
        using var postOnly = await http.GetAsync("/v1/transfers");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postOnly.StatusCode);
        Assert.Equal("application/json", postOnly.Content.Headers.ContentType!.MediaType);
        Assert.Equal("POST", Assert.Single(postOnly.Content.Headers.Allow));

        // HEAD of a page: its headers, no body.
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    private async Task<(string Session, string Csrf)> BrowserSignInAsync(string username)
    {
        using var http = Silo.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/sessions/browser", new { username, password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith("payments_session=", StringComparison.Ordinal));
        var session = cookie["payments_session=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        return (session, (await response.Content.ReadFromJsonAsync<JsonObject>())!["csrfToken"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string session, object? body = null, string? csrf = null, string? origin = null)
    {
        using var http = Silo.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"payments_session={session}");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task AssertCsrfRejectedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("CSRF_REJECTED", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }
}
