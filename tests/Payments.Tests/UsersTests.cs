using System.Net;
using System.Text.Json.Nodes;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Profiles, settings and search over HTTP.</summary>
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

    [Fact]
    public async Task Display_names_are_stored_in_nfc_with_one_kind_of_space()
    {
        var created = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "nfc_cafe", displayName = "  Cafe\u0301\u00A0\u00A0Owner\u3000 ", password = ApiClient.Password });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        Assert.Equal("Caf\u00E9 Owner", created.Json["displayName"]!.GetValue<string>());

        var token = (await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username = "nfc_cafe", password = ApiClient.Password })).Json["token"]!.GetValue<string>();
        Assert.Equal("Caf\u00E9 Owner", (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", token)).Json["displayName"]!.GetValue<string>());
        Assert.Equal(["nfc_cafe"], await SearchAsync(token, "Cafe\u0301"));

        // A name wholly in another script is accepted (Cyrillic "Алиса"), and so is one mixing scripts across words.
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username = "nfc_alisa", displayName = "Алиса Smith", password = ApiClient.Password })).Status);
    }

    [Fact]
    public async Task Each_user_has_a_default_visibility_friends_at_first_applied_when_a_payment_names_none()
    {
        var alice = await Api.SignUpAsync("vis_alice", deposit: 10_000);
        var bob = await Api.SignUpAsync("vis_bob", deposit: 10_000);
        var watcher = await Api.SignUpAsync("vis_watcher");

        var me = await Api.SendAsync(HttpMethod.Get, "/v1/users/me", alice.Token);
        Assert.Equal(("vis_alice", "friends"), (me.Json["username"]!.GetValue<string>(), me.Json["defaultVisibility"]!.GetValue<string>()));

        // No visibility named: friends, so not on the public feed.
        var unnamed = await SendWithoutVisibilityAsync(alice.Token, "vis_bob", "unnamed-1", "rent, privately");
        Assert.Equal("friends", unnamed.Json["transfer"]!["visibility"]!.GetValue<string>());
        var hidden = unnamed.Json["transfer"]!["id"]!.GetValue<string>();

        // Changing the default to public: the next unnamed transfer is public.
        var madePublic = await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.Token, new { defaultVisibility = "public" });
        Assert.Equal(HttpStatusCode.OK, madePublic.Status);
        Assert.Equal("public", madePublic.Json["defaultVisibility"]!.GetValue<string>());
        Assert.Equal("vis_alice", madePublic.Json["username"]!.GetValue<string>());
        var shown = (await SendWithoutVisibilityAsync(alice.Token, "vis_bob", "unnamed-2", "pizza")).Json["transfer"]!["id"]!.GetValue<string>();
        await Eventually.TrueAsync(
            async () => (await Api.FeedAsync(watcher.Token, "/v1/feed/public")).Any(item => item["transferId"]!.GetValue<string>() == shown),
            TimeSpan.FromSeconds(60),
            "the public transfer reached the public feed");
        Assert.DoesNotContain(await Api.FeedAsync(watcher.Token, "/v1/feed/public"), item => item["transferId"]!.GetValue<string>() == hidden);

        // Private, and a payment request paid without naming one takes the payer's default.
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.Token, new { defaultVisibility = "private" })).Status);
        Assert.Equal("private", (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", alice.Token)).Json["defaultVisibility"]!.GetValue<string>());
        Assert.Equal("private", (await SendWithoutVisibilityAsync(alice.Token, "vis_bob", "unnamed-3", "")).Json["transfer"]!["visibility"]!.GetValue<string>());
        var request = await Api.SendAsync(HttpMethod.Post, "/v1/requests", bob.Token, new { from = "vis_alice", amount = 100, note = "lunch" });
        Assert.Equal(HttpStatusCode.Created, request.Status);
        var paid = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{request.Json["id"]!.GetValue<string>()}/pay", alice.Token, null, "pay-lunch");
        Assert.True(paid.Status == HttpStatusCode.Created, paid.Body);
        Assert.Equal("private", paid.Json["transfer"]!["visibility"]!.GetValue<string>());

        // A named visibility still wins.
        Assert.Equal("public", (await Api.TransferAsync(alice.Token, "vis_bob", 1, "named", visibility: "public")).Json["transfer"]!["visibility"]!.GetValue<string>());

        var bad = await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.Token, new { defaultVisibility = "everyone" });
        Assert.Equal((HttpStatusCode.BadRequest, "defaultVisibility"), (bad.Status, bad.Json["field"]!.GetValue<string>()));
        var missing = await Api.SendAsync(HttpMethod.Patch, "/v1/users/me", alice.Token, new { });
        Assert.Equal((HttpStatusCode.BadRequest, "defaultVisibility"), (missing.Status, missing.Json["field"]!.GetValue<string>()));
        Assert.Equal("private", (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", alice.Token)).Json["defaultVisibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wherever_a_display_name_is_shown_the_username_is_beside_it()
    {
        // Display names may repeat ("Alice Smith" twice is two real people) or look alike; the @username tells them apart.
        var first = await SignUpNamedAsync("twin_one", "Alice Smith");
        var second = await SignUpNamedAsync("twin_two", "Alice Smith");
        await Api.BefriendAsync(first, second, "twin_two");
        var deposit = await Api.SendAsync(HttpMethod.Post, "/v1/wallet/deposits", first, new { amount = 1_000 }, "twin-deposit");
        Assert.Equal(HttpStatusCode.Created, deposit.Status);
        var sent = await Api.TransferAsync(first, "twin_two", 100, "twin-send", "hello twin", "friends");
        var transferId = sent.Json["transfer"]!["id"]!.GetValue<string>();
        await Api.WaitForFeedAsync(second, [transferId]);
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{transferId}/comments", second, new { text = "thanks" })).Status);
        var liked = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{transferId}/likes", second);
        Assert.True(liked.Status is HttpStatusCode.Created or HttpStatusCode.OK, liked.Body);

        var named = 0;
        foreach (var path in new[] { "/v1/feed", $"/v1/feed/{transferId}/comments", "/v1/friends", "/v1/users/search?q=Alice", "/v1/users/me" })
        {
            var response = await Api.SendAsync(HttpMethod.Get, path, second);
            Assert.True(response.Status == HttpStatusCode.OK, $"{path}: {response.Body}");
            named += CheckNamedPeople(response.Json, path);
        }

        await Eventually.TrueAsync(
            async () => (await Api.SendAsync(HttpMethod.Get, "/v1/notifications", first)).Body.Contains("feed_item", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60),
            "the comment's notification arrived");
        named += CheckNamedPeople((await Api.SendAsync(HttpMethod.Get, "/v1/notifications", first)).Json, "notifications");
        named += CheckNamedPeople((await Api.SendAsync(HttpMethod.Get, "/v1/notifications", second)).Json, "notifications");
        Assert.True(named >= 8, $"only {named} people named");
    }

    private static int CheckNamedPeople(JsonNode? node, string where)
    {
        var count = 0;
        switch (node)
        {
            case JsonObject person when person.ContainsKey("displayName"):
                Assert.True(person["username"] is JsonValue, $"{where}: {person.ToJsonString()} has a display name without its username");
                count++;
                foreach (var (_, child) in person)
                {
                    count += CheckNamedPeople(child, where);
                }

                break;
            case JsonObject other:
                foreach (var (_, child) in other)
                {
                    count += CheckNamedPeople(child, where);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    count += CheckNamedPeople(child, where);
                }

                break;
        }

        return count;
    }

    private async Task<string> SignUpNamedAsync(string username, string displayName)
    {
        var created = await Api.SendAsync(HttpMethod.Post, "/v1/users", null, new { username, displayName, password = ApiClient.Password });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        return (await Api.SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username, password = ApiClient.Password })).Json["token"]!.GetValue<string>();
    }

    private async Task<ApiClient.Response> SendWithoutVisibilityAsync(string token, string to, string key, string note)
    {
        var response = await Api.SendAsync(HttpMethod.Post, "/v1/transfers", token, new { to, amount = 10, currency = "USD", note }, key);
        Assert.True(response.Status == HttpStatusCode.Created, response.Body);
        return response;
    }

    private async Task<List<string>> SearchAsync(string token, string query)
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/v1/users/search?q={Uri.EscapeDataString(query)}", token);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.AsArray().Select(user => user!["username"]!.GetValue<string>()).Order().ToList();
    }
}
