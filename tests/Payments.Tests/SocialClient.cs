using System.Net;
using System.Text.Json.Nodes;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>Friends and feed calls the social tests share, over the REST API.</summary>
public static class SocialClient
{
    public static async Task BefriendAsync(this ApiClient api, string requesterToken, string addresseeToken, string addresseeUsername)
    {
        var requested = await api.SendAsync(HttpMethod.Post, "/v1/friends/requests", requesterToken, new { username = addresseeUsername });
        Assert.True(requested.Status == HttpStatusCode.Created, requested.Body);
        var accepted = await api.SendAsync(HttpMethod.Post, $"/v1/friends/requests/{requested.Json["id"]!.GetValue<string>()}/accept", addresseeToken);
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.Body);
    }

    /// <summary>Every item of a feed (<c>/v1/feed</c> or <c>/v1/feed/public</c>), page after page to the end.</summary>
    public static async Task<List<JsonNode>> FeedAsync(this ApiClient api, string token, string path = "/v1/feed", int pageSize = 100)
    {
        var items = new List<JsonNode>();
        string? startingAfter = null;
        for (var page = 0; page < 10_000; page++)
        {
            var response = await api.SendAsync(HttpMethod.Get, $"{path}?limit={pageSize}{(startingAfter is null ? "" : $"&startingAfter={startingAfter}")}", token);
            Assert.True(response.Status == HttpStatusCode.OK, response.Body);
            var data = response.Json["data"]!.AsArray();
            items.AddRange(data.Select(item => item!));
            if (!response.Json["hasMore"]!.GetValue<bool>())
            {
                return items;
            }

            startingAfter = data[^1]!["transferId"]!.GetValue<string>();
        }

        throw new InvalidOperationException("The feed did not end.");
    }

    /// <summary>Waits until the fan-out has delivered <paramref name="transferIds"/> to this user's feed (streams deliver in the background).</summary>
    public static Task WaitForFeedAsync(this ApiClient api, string token, IReadOnlyCollection<string> transferIds) =>
        Eventually.TrueAsync(
            async () =>
            {
                var ids = (await api.FeedAsync(token)).Select(item => item["transferId"]!.GetValue<string>()).ToHashSet();
                return transferIds.All(ids.Contains);
            },
            TimeSpan.FromSeconds(60),
            $"{transferIds.Count} transfers reached the feed");
}
