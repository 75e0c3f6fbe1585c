using System.Net;
using Xunit;

namespace Payments.Tests;

/// <summary>Friend requests and friendships over real HTTP.</summary>
public sealed class FriendsTests() : ApiTest("friends")
{
    [Fact]
    public async Task A_friend_request_is_accepted_by_its_addressee_and_makes_a_symmetric_friendship()
    {
        var (aliceId, alice) = await Api.SignUpAsync("fr_alice");
        var (bobId, bob) = await Api.SignUpAsync("fr_bob");
        var (_, eve) = await Api.SignUpAsync("fr_eve");

        var requested = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", alice, new { username = "fr_bob" });
        Assert.Equal(HttpStatusCode.Created, requested.Status);
        Assert.Equal(("pending", aliceId, bobId),
            (requested.Json["status"]!.GetValue<string>(), requested.Json["from"]!["id"]!.GetValue<string>(), requested.Json["to"]!["id"]!.GetValue<string>()));
        var id = requested.Json["id"]!.GetValue<string>();

        // One pending request per pair, whichever way round.
        var twice = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", alice, new { username = "fr_bob" });
        var reverse = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", bob, new { username = "fr_alice" });
        Assert.Equal((HttpStatusCode.Conflict, "FRIEND_REQUEST_PENDING"), (twice.Status, twice.Code));
        Assert.Equal((HttpStatusCode.Conflict, "FRIEND_REQUEST_PENDING"), (reverse.Status, reverse.Code));

        Assert.Equal([id], await PendingIdsAsync(bob, "received"));
        Assert.Equal([id], await PendingIdsAsync(alice, "sent"));
        Assert.Empty(await PendingIdsAsync(alice, "received"));

        // Only the addressee accepts; for anyone else the request does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/friends/requests/{id}/accept", alice)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/friends/requests/{id}/accept", eve)).Status);
        Assert.Empty(await FriendIdsAsync(alice));

        var accepted = await Api.SendAsync(HttpMethod.Post, $"/v1/friends/requests/{id}/accept", bob);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal("accepted", accepted.Json["status"]!.GetValue<string>());
        Assert.Equal([bobId], await FriendIdsAsync(alice));
        Assert.Equal([aliceId], await FriendIdsAsync(bob));
        Assert.Empty(await FriendIdsAsync(eve));
        Assert.Empty(await PendingIdsAsync(bob, "received"));

        var again = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", bob, new { username = "fr_alice" });
        Assert.Equal((HttpStatusCode.Conflict, "ALREADY_FRIENDS"), (again.Status, again.Code));

        // Unfriending ends it both ways; a second time there is nothing to end.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Delete, $"/v1/friends/{bobId}", eve)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, $"/v1/friends/{aliceId}", bob)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Delete, $"/v1/friends/{bobId}", alice)).Status);
        Assert.Empty(await FriendIdsAsync(alice));
        Assert.Empty(await FriendIdsAsync(bob));
    }

    [Fact]
    public async Task Bad_friend_requests_are_refused_and_change_nothing()
    {
        var (_, carol) = await Api.SignUpAsync("fr_carol");

        var self = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", carol, new { username = "fr_carol" });
        var unknown = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", carol, new { username = "fr_nobody" });
        var malformed = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests", carol, new { username = "Not Valid" });
        var badAccept = await Api.SendAsync(HttpMethod.Post, "/v1/friends/requests/not-an-id/accept", carol);
        var badLimit = await Api.SendAsync(HttpMethod.Get, "/v1/friends?limit=0", carol);
        var badCursor = await Api.SendAsync(HttpMethod.Get, "/v1/friends?startingAfter=x", carol);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "INVALID_RECIPIENT"), (self.Status, self.Code));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND", "username"), (unknown.Status, unknown.Code, unknown.Json["field"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (malformed.Status, malformed.Code));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (badAccept.Status, badAccept.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (badLimit.Status, badLimit.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (badCursor.Status, badCursor.Code));
        Assert.Empty(await PendingIdsAsync(carol, "sent"));
    }

    [Fact]
    public async Task Friends_are_listed_in_pages()
    {
        var (_, hub) = await Api.SignUpAsync("fr_hub");
        var friendIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (id, token) = await Api.SignUpAsync($"fr_spoke{i}");
            await Api.BefriendAsync(token, hub, "fr_hub");
            friendIds.Add(id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Api.SendAsync(HttpMethod.Get, $"/v1/friends?limit=2{(cursor is null ? "" : $"&startingAfter={cursor}")}", hub);
            Assert.True(page.Status == HttpStatusCode.OK, page.Body);
            var ids = page.Json["data"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()).ToList();
            Assert.InRange(ids.Count, 1, 2);
            seen.AddRange(ids);
            cursor = page.Json["hasMore"]!.GetValue<bool>() ? ids[^1] : null;
        }
        while (cursor is not null);

        Assert.Equal(friendIds.Order(StringComparer.Ordinal), seen);
    }

    private async Task<List<string>> FriendIdsAsync(string token)
    {
        var response = await Api.SendAsync(HttpMethod.Get, "/v1/friends?limit=100", token);
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        return response.Json["data"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()).ToList();
    }

    private async Task<List<string>> PendingIdsAsync(string token, string role)
    {
        var response = await Api.SendAsync(HttpMethod.Get, $"/v1/friends/requests?role={role}", token);
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        return response.Json["data"]!.AsArray().Select(item => item!["id"]!.GetValue<string>()).ToList();
    }
}
