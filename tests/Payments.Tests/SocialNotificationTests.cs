using System.Net;
using System.Text.Json.Nodes;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>The social notifications reach the right inbox, once each: requests, friend requests, likes and comments.</summary>
public sealed class SocialNotificationTests() : ApiTest("social-notifications")
{
    [Fact]
    public async Task Payment_requests_notify_the_requestee_when_made_and_the_requester_when_paid_or_declined()
    {
        var (_, alice) = await Api.SignUpAsync("sn_alice");
        var (_, bob) = await Api.SignUpAsync("sn_bob", deposit: 10_000);

        var declinedId = (await Api.SendAsync(HttpMethod.Post, "/v1/requests", alice, new { from = "sn_bob", amount = 100, note = "one" })).Json["id"]!.GetValue<string>();
        var paidId = (await Api.SendAsync(HttpMethod.Post, "/v1/requests", alice, new { from = "sn_bob", amount = 200, note = "two" })).Json["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{declinedId}/decline", bob)).Status);
        var paid = await Api.SendAsync(HttpMethod.Post, $"/v1/requests/{paidId}/pay", bob, null, "sn-pay");
        Assert.Equal(HttpStatusCode.Created, paid.Status);

        var forBob = await WaitForAsync(bob, "payment_request", 2);
        Assert.Equal([declinedId, paidId], forBob.Select(item => item["data"]!["id"]!.GetValue<string>()));
        var declined = Assert.Single(await WaitForAsync(alice, "request_declined", 1));
        Assert.Equal((declinedId, "declined"), (declined["data"]!["id"]!.GetValue<string>(), declined["data"]!["status"]!.GetValue<string>()));
        var paidNotice = Assert.Single(await WaitForAsync(alice, "request_paid", 1));
        Assert.Equal(paid.Json["transfer"]!["id"]!.GetValue<string>(), paidNotice["data"]!["transferId"]!.GetValue<string>());
        Assert.Empty(Of(await InboxAsync(alice), "payment_request"));
    }

    [Fact]
    public async Task Friend_requests_likes_and_comments_notify_the_addressee_and_the_parties_but_not_the_actor()
    {
        var (_, sender) = await Api.SignUpAsync("sn_sender", deposit: 10_000);
        var (receiverId, receiver) = await Api.SignUpAsync("sn_receiver");
        var (friendId, friend) = await Api.SignUpAsync("sn_friend");

        await Api.BefriendAsync(friend, sender, "sn_sender");
        var friendRequest = Assert.Single(await WaitForAsync(sender, "friend_request", 1));
        Assert.Equal(friendId, friendRequest["data"]!["from"]!["id"]!.GetValue<string>());

        var transferId = (await Api.TransferAsync(sender, receiverId, 100, "sn-t1", "tickets", "friends")).Json["transfer"]!["id"]!.GetValue<string>();
        await Api.WaitForFeedAsync(friend, [transferId]);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{transferId}/likes", friend)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{transferId}/likes", friend)).Status); // the same like: no second notice
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{transferId}/comments", receiver, new { text = "thanks!" })).Status);

        // The sender hears of the like and of the receiver's comment; the receiver only of the like (not of their own comment).
        var forSender = await WaitForAsync(sender, "feed_item", 2);
        Assert.Equal([("like", friendId), ("comment", receiverId)], forSender.Select(item => (item["data"]!["kind"]!.GetValue<string>(), item["data"]!["by"]!["id"]!.GetValue<string>())));
        var forReceiver = await WaitForAsync(receiver, "feed_item", 1);
        Assert.Equal("like", Assert.Single(forReceiver)["data"]!["kind"]!.GetValue<string>());
        Assert.Empty(Of(await InboxAsync(friend), "feed_item"));
    }

    /// <summary>Waits until the inbox holds <paramref name="count"/> notifications of the type, then checks that no more arrive with the rest.</summary>
    private async Task<List<JsonNode>> WaitForAsync(string token, string type, int count)
    {
        await Eventually.TrueAsync(async () => Of(await InboxAsync(token), type).Count >= count, TimeSpan.FromSeconds(60), $"{count} {type} notifications arrive");
        var inbox = await InboxAsync(token);
        Assert.Equal(inbox.Count, inbox.Select(item => item["id"]!.GetValue<string>()).Distinct().Count());
        var ofType = Of(inbox, type);
        Assert.Equal(count, ofType.Count);
        return ofType;
    }

    private async Task<List<JsonNode>> InboxAsync(string token)
    {
        var response = await Api.SendAsync(HttpMethod.Get, "/v1/notifications?limit=100", token);
        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        return response.Json["data"]!.AsArray().Select(item => item!).ToList();
    }

    private static List<JsonNode> Of(List<JsonNode> inbox, string type) => inbox.Where(item => item["type"]!.GetValue<string>() == type).ToList();
}
