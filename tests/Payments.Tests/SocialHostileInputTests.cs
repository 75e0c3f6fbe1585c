using System.Net;
using Xunit;

namespace Payments.Tests;

/// <summary>Bad requests to the social endpoints get a 4xx JSON error with the right code, and change nothing.</summary>
public sealed class SocialHostileInputTests() : ApiTest("social-hostile")
{
    private (string Id, string Token) _alice;
    private string _transferId = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _alice = await Api.SignUpAsync("sh_alice", deposit: 10_000);
        var (bobId, _) = await Api.SignUpAsync("sh_bob");
        _transferId = (await Api.TransferAsync(_alice.Token, bobId, 100, "sh-t", "seed", "public")).Json["transfer"]!["id"]!.GetValue<string>();
        await Api.WaitForFeedAsync(_alice.Token, [_transferId]);
    }

    public static TheoryData<string, string, string?, string?, int, string, string?> BadRequests() => new()
    {
        // name, path ({transfer} is a transfer alice sees), body, idempotency key, status, code, field
        { "request: malformed json", "/v1/requests", "{\"from\": \"sh_bob\", ", null, 400, "VALIDATION_ERROR", null },
        { "request: not an object", "/v1/requests", "[1]", null, 400, "VALIDATION_ERROR", null },
        { "request: amount as string", "/v1/requests", "{\"from\":\"sh_bob\",\"amount\":\"5\"}", null, 400, "INVALID_AMOUNT", "amount" },
        { "request: amount fractional", "/v1/requests", "{\"from\":\"sh_bob\",\"amount\":2.5}", null, 400, "INVALID_AMOUNT", "amount" },
        { "request: no amount", "/v1/requests", "{\"from\":\"sh_bob\"}", null, 400, "INVALID_AMOUNT", "amount" },
        { "request: from missing", "/v1/requests", "{\"amount\":5}", null, 400, "VALIDATION_ERROR", "from" },
        { "request: from an injection", "/v1/requests", "{\"from\":\"x'; DROP TABLE payment_requests;--\",\"amount\":5}", null, 400, "VALIDATION_ERROR", "from" },
        { "request: note with NUL", "/v1/requests", "{\"from\":\"sh_bob\",\"amount\":5,\"note\":\"a\\u0000\"}", null, 400, "VALIDATION_ERROR", "note" },
        { "request: key too long", "/v1/requests", "{\"from\":\"sh_bob\",\"amount\":5}", new string('k', 256), 400, "VALIDATION_ERROR", "Idempotency-Key" },
        { "friend: no username", "/v1/friends/requests", "{}", null, 400, "VALIDATION_ERROR", "username" },
        { "friend: username a number", "/v1/friends/requests", "{\"username\":5}", null, 400, "VALIDATION_ERROR", "username" },
        { "friend: unknown user", "/v1/friends/requests", "{\"username\":\"sh_nobody\"}", null, 404, "NOT_FOUND", "username" },
        { "friend: yourself", "/v1/friends/requests", "{\"username\":\"sh_alice\"}", null, 422, "INVALID_RECIPIENT", "username" },
        { "comment: empty", "/v1/feed/{transfer}/comments", "{\"text\":\"\"}", null, 400, "VALIDATION_ERROR", "text" },
        { "comment: too long", "/v1/feed/{transfer}/comments", $"{{\"text\":\"{new string('c', 281)}\"}}", null, 400, "VALIDATION_ERROR", "text" },
        { "comment: NUL", "/v1/feed/{transfer}/comments", "{\"text\":\"hi\\u0000\"}", null, 400, "VALIDATION_ERROR", "text" },
        { "comment: text an array", "/v1/feed/{transfer}/comments", "{\"text\":[\"a\"]}", null, 400, "VALIDATION_ERROR", "text" },
        { "comment: unknown item", $"/v1/feed/{Guid.CreateVersion7()}/comments", "{\"text\":\"hi\"}", null, 404, "NOT_FOUND", null },
        { "comment: malformed item id", "/v1/feed/1%27%20OR%201=1/comments", "{\"text\":\"hi\"}", null, 404, "NOT_FOUND", null },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_social_request_gets_its_error_and_changes_nothing(string name, string path, string? body, string? key, int status, string code, string? field)
    {
        var before = await SnapshotAsync();
        var response = await Api.SendRawAsync(HttpMethod.Post, path.Replace("{transfer}", _transferId, StringComparison.Ordinal), _alice.Token, body, key);

        Assert.True((int)response.Status == status, $"{name}: expected {status}, got {(int)response.Status} {response.Body}");
        Assert.Equal(code, response.Code);
        Assert.Equal(field, response.Json["field"]?.GetValue<string>());
        Assert.NotNull(response.Json["message"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Bad_list_queries_are_refused_in_json()
    {
        foreach (var path in new[]
        {
            "/v1/requests?limit=0", "/v1/requests?limit=abc", "/v1/requests?startingAfter=zzz", "/v1/requests?status=lost", "/v1/requests?role=all",
            "/v1/friends/requests?role=everyone", "/v1/friends?limit=101", "/v1/feed?limit=-1", $"/v1/feed/{_transferId}/comments?startingAfter=1",
        })
        {
            var response = await Api.SendAsync(HttpMethod.Get, path, _alice.Token);
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{path}: {response.Body}");
            Assert.Equal("VALIDATION_ERROR", response.Code);
        }
    }

    private async Task<string> SnapshotAsync()
    {
        var sent = await Api.SendAsync(HttpMethod.Get, "/v1/requests?role=sent", _alice.Token);
        var friends = await Api.SendAsync(HttpMethod.Get, "/v1/friends/requests?role=sent", _alice.Token);
        var comments = await Api.SendAsync(HttpMethod.Get, $"/v1/feed/{_transferId}/comments", _alice.Token);
        return $"{sent.Body}|{friends.Body}|{comments.Body}";
    }
}
