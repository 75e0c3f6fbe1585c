using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Tests;

/// <summary>The feed over real HTTP, fed by the real TransferCompleted stream: who sees what, likes, comments, unfriending.</summary>
public sealed class FeedTests() : ApiTest("feed")
{
    [Fact]
    public async Task Each_visibility_reaches_exactly_the_right_readers_and_only_parties_see_the_amount()
    {
        var (_, sender) = await Api.SignUpAsync("fd_sender", deposit: 10_000);
        var (receiverId, receiver) = await Api.SignUpAsync("fd_receiver");
        var (_, senderFriend) = await Api.SignUpAsync("fd_sfriend");
        var (_, receiverFriend) = await Api.SignUpAsync("fd_rfriend");
        var (_, stranger) = await Api.SignUpAsync("fd_stranger");
        await Api.BefriendAsync(senderFriend, sender, "fd_sender");
        await Api.BefriendAsync(receiver, receiverFriend, "fd_rfriend");

        var transfers = new Dictionary<string, string>();
        foreach (var visibility in new[] { "public", "friends", "private" })
        {
            var sent = await Api.TransferAsync(sender, receiverId, 100, $"vis-{visibility}", $"for {visibility}", visibility);
            Assert.True(sent.Status == HttpStatusCode.Created, sent.Body);
            transfers[visibility] = sent.Json["transfer"]!["id"]!.GetValue<string>();
        }

        // The fan-out writes every reader's items in one statement, so once the sender has all three, everyone has theirs.
        await Api.WaitForFeedAsync(sender, transfers.Values);

        // reader → (visibility → null: not shown, true: shown with the amount, false: shown without it)
        var table = new (string Reader, string Token, bool? Public, bool? Friends, bool? Private)[]
        {
            ("sender (party)", sender, true, true, true),
            ("receiver (party)", receiver, true, true, true),
            ("friend of the sender", senderFriend, false, false, null),
            ("friend of the receiver", receiverFriend, false, false, null),
            ("stranger", stranger, null, null, null),
        };
        foreach (var (reader, token, isPublic, friends, isPrivate) in table)
        {
            var feed = (await Api.FeedAsync(token)).ToDictionary(item => item["transferId"]!.GetValue<string>());
            foreach (var (visibility, expected) in new[] { ("public", isPublic), ("friends", friends), ("private", isPrivate) })
            {
                var shown = feed.GetValueOrDefault(transfers[visibility]);
                Assert.True((shown is not null) == expected.HasValue, $"{reader}, {visibility}: shown {shown is not null}, expected {expected.HasValue}");
                if (shown is not null)
                {
                    Assert.True((shown["amount"] is not null) == expected!.Value, $"{reader}, {visibility}: amount {shown["amount"]}");
                    Assert.Equal($"for {visibility}", shown["note"]!.GetValue<string>());
                    Assert.Equal(visibility, shown["visibility"]!.GetValue<string>());
                    Assert.Equal("fd_sender", shown["from"]!["username"]!.GetValue<string>());
                    Assert.Equal(receiverId, shown["to"]!["id"]!.GetValue<string>());
                }
            }

            Assert.Equal(new[] { isPublic, friends, isPrivate }.Count(value => value.HasValue), feed.Count);
        }

        // The public feed: only the public transfer, its amount only for the parties.
        var publicForStranger = await Api.FeedAsync(stranger, "/v1/feed/public");
        Assert.Equal([transfers["public"]], publicForStranger.Select(item => item["transferId"]!.GetValue<string>()));
        Assert.Null(publicForStranger[0]["amount"]);
        var publicForReceiver = await Api.FeedAsync(receiver, "/v1/feed/public");
        Assert.Equal(100, publicForReceiver.Single()["amount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Feeds_are_newest_first_and_paged_with_startingAfter()
    {
        var (_, payer) = await Api.SignUpAsync("fd_pager", deposit: 10_000);
        var (payeeId, _) = await Api.SignUpAsync("fd_payee");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var sent = await Api.TransferAsync(payer, payeeId, 10 + i, $"page-{i}", $"n{i}", "private");
            ids.Add(sent.Json["transfer"]!["id"]!.GetValue<string>());
        }

        await Api.WaitForFeedAsync(payer, ids);
        var paged = await Api.FeedAsync(payer, pageSize: 2);
        Assert.Equal(ids.AsEnumerable().Reverse(), paged.Select(item => item["transferId"]!.GetValue<string>()));

        var badCursor = await Api.SendAsync(HttpMethod.Get, "/v1/feed?startingAfter=nope", payer);
        var badLimit = await Api.SendAsync(HttpMethod.Get, "/v1/feed/public?limit=1000", payer);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "startingAfter"), (badCursor.Status, badCursor.Code, badCursor.Json["field"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "limit"), (badLimit.Status, badLimit.Code, badLimit.Json["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_readers_who_see_an_item_may_like_or_comment_and_counts_follow()
    {
        var (_, sender) = await Api.SignUpAsync("lk_sender", deposit: 10_000);
        var (receiverId, receiver) = await Api.SignUpAsync("lk_receiver");
        var (_, friend) = await Api.SignUpAsync("lk_friend");
        var (_, stranger) = await Api.SignUpAsync("lk_stranger");
        await Api.BefriendAsync(friend, sender, "lk_sender");

        var friendsOnly = (await Api.TransferAsync(sender, receiverId, 100, "lk-1", "friends only", "friends")).Json["transfer"]!["id"]!.GetValue<string>();
        var everyone = (await Api.TransferAsync(sender, receiverId, 100, "lk-2", "everyone", "public")).Json["transfer"]!["id"]!.GetValue<string>();
        await Api.WaitForFeedAsync(sender, [friendsOnly, everyone]);

        // A stranger can neither like nor comment on nor read the comments of a friends-only item: it does not exist for them.
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/likes", stranger)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/comments", stranger, new { text = "hi" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, $"/v1/feed/{friendsOnly}/comments", stranger)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{Guid.CreateVersion7()}/likes", friend)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Post, "/v1/feed/not-an-id/likes", friend)).Status);

        // But a public item is visible to everyone, through the public feed.
        var strangerLike = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{everyone}/likes", stranger);
        Assert.Equal(HttpStatusCode.OK, strangerLike.Status);

        // Liking is idempotent; unliking takes it back.
        for (var i = 0; i < 2; i++)
        {
            var liked = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/likes", friend);
            Assert.Equal((HttpStatusCode.OK, 1L, true), (liked.Status, liked.Json["likeCount"]!.GetValue<long>(), liked.Json["likedByMe"]!.GetValue<bool>()));
        }

        var receiverLike = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/likes", receiver);
        Assert.Equal(2, receiverLike.Json["likeCount"]!.GetValue<long>());
        var unliked = await Api.SendAsync(HttpMethod.Delete, $"/v1/feed/{friendsOnly}/likes", receiver);
        Assert.Equal((HttpStatusCode.OK, 1L, false), (unliked.Status, unliked.Json["likeCount"]!.GetValue<long>(), unliked.Json["likedByMe"]!.GetValue<bool>()));

        var comment = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/comments", friend, new { text = "nice" });
        Assert.Equal(HttpStatusCode.Created, comment.Status);
        Assert.Equal(("nice", "lk_friend"), (comment.Json["text"]!.GetValue<string>(), comment.Json["author"]!["username"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, (await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/comments", sender, new { text = "thanks" })).Status);
        var tooLong = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/comments", friend, new { text = new string('x', 281) });
        var empty = await Api.SendAsync(HttpMethod.Post, $"/v1/feed/{friendsOnly}/comments", friend, new { text = "" });
        Assert.Equal((HttpStatusCode.BadRequest, "text"), (tooLong.Status, tooLong.Json["field"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "text"), (empty.Status, empty.Json["field"]!.GetValue<string>()));

        var comments = await Api.SendAsync(HttpMethod.Get, $"/v1/feed/{friendsOnly}/comments", receiver);
        Assert.Equal(["nice", "thanks"], comments.Json["data"]!.AsArray().Select(item => item!["text"]!.GetValue<string>()));

        var forSender = Item(await Api.FeedAsync(sender), friendsOnly);
        Assert.Equal((1L, 2L, false), (forSender["likeCount"]!.GetValue<long>(), forSender["commentCount"]!.GetValue<long>(), forSender["likedByMe"]!.GetValue<bool>()));
        var forFriend = Item(await Api.FeedAsync(friend), friendsOnly);
        Assert.True(forFriend["likedByMe"]!.GetValue<bool>());
        Assert.Equal(1, Item(await Api.FeedAsync(stranger, "/v1/feed/public"), everyone)["likeCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Unfriending_stops_new_items_and_keeps_delivered_ones()
    {
        var (_, sender) = await Api.SignUpAsync("uf_sender", deposit: 10_000);
        var (receiverId, _) = await Api.SignUpAsync("uf_receiver");
        var (_, friend) = await Api.SignUpAsync("uf_friend");
        await Api.BefriendAsync(friend, sender, "uf_sender");
        var senderId = (await Api.SendAsync(HttpMethod.Get, "/v1/users/me", sender)).Json["id"]!.GetValue<string>();

        var before = (await Api.TransferAsync(sender, receiverId, 100, "uf-1", "before", "friends")).Json["transfer"]!["id"]!.GetValue<string>();
        await Api.WaitForFeedAsync(friend, [before]);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, $"/v1/friends/{senderId}", friend)).Status);
        var after = (await Api.TransferAsync(sender, receiverId, 100, "uf-2", "after", "public")).Json["transfer"]!["id"]!.GetValue<string>();
        await Api.WaitForFeedAsync(sender, [after]);

        Assert.Equal([before], (await Api.FeedAsync(friend)).Select(item => item["transferId"]!.GetValue<string>()));
    }

    private static JsonNode Item(List<JsonNode> feed, string transferId) => feed.Single(item => item["transferId"]!.GetValue<string>() == transferId);
}
