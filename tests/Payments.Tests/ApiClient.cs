using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Payments.Tests;

/// <summary>A REST client for the tests: real HTTP, JSON as the API writes it.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    /// <summary>A client of the API at <paramref name="baseAddress"/> (a silo or front end process) with a 30 s timeout.</summary>
    public static ApiClient For(Uri baseAddress) => new(new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) });

    public sealed record Response(HttpStatusCode Status, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;

        public string? Code => Body.Length > 0 && Body[0] == '{' ? Json["code"]?.GetValue<string>() : null;
    }

    /// <summary>The password test users sign up with: zxcvbn scores it 4 (registration needs 3).</summary>
    public const string Password = "correct horse battery";

    public async Task<(string Id, string Token)> SignUpAsync(string username, long deposit = 0)
    {
        var created = await WhileBusyAsync(() => SendAsync(HttpMethod.Post, "/v1/users", null, new { username, displayName = username, password = Password }));
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        var session = await WhileBusyAsync(() => SendAsync(HttpMethod.Post, "/v1/sessions", null, new { username, password = Password }));
        Assert.True(session.Status == HttpStatusCode.Created, session.Body);
        var token = session.Json["token"]!.GetValue<string>();
        if (deposit > 0)
        {
            var deposited = await SendAsync(HttpMethod.Post, "/v1/wallet/deposits", token, new { amount = deposit }, Guid.NewGuid().ToString());
            Assert.True(deposited.Status == HttpStatusCode.Created, deposited.Body);
        }

        return (created.Json["id"]!.GetValue<string>(), token);
    }

    /// <summary>
    /// Sends again while the answer is 503 with a short Retry-After: password hashing and strength checks are bounded
    /// and refuse a burst at once instead of queueing it, as a client that signs up many users at once sees.
    /// </summary>
    public static async Task<Response> WhileBusyAsync(Func<Task<Response>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.Status != HttpStatusCode.ServiceUnavailable || attempt == 100)
            {
                return response;
            }

            await Task.Delay(Random.Shared.Next(20, 200));
        }
    }

    public Task<Response> TransferAsync(string token, string to, long amount, string key, string note = "", string visibility = "public") =>
        SendAsync(HttpMethod.Post, "/v1/transfers", token, new { to, amount, currency = "USD", note, visibility }, key);

    public async Task<JsonNode> WalletAsync(string token)
    {
        var wallet = await SendAsync(HttpMethod.Get, "/v1/wallet", token);
        Assert.True(wallet.Status == HttpStatusCode.OK, wallet.Body);
        return wallet.Json;
    }

    public async Task<List<JsonNode>> HistoryAsync(string token)
    {
        var entries = new List<JsonNode>();
        string? cursor = null;
        for (var page = 0; page < 100_000; page++)
        {
            var response = await SendAsync(HttpMethod.Get, $"/v1/wallet/transactions?limit=100{(cursor is null ? "" : $"&startingAfter={cursor}")}", token);
            Assert.True(response.Status == HttpStatusCode.OK, response.Body);
            var data = response.Json["data"]!.AsArray();
            entries.AddRange(data.Select(entry => entry!));
            if (!response.Json["hasMore"]!.GetValue<bool>())
            {
                return entries;
            }

            cursor = data[^1]!["id"]!.GetValue<string>();
        }

        throw new InvalidOperationException("History did not end.");
    }

    public async Task<JsonNode> AuditAsync(string adminToken)
    {
        var audit = await SendAsync(HttpMethod.Get, "/v1/admin/ledger/audit", adminToken);
        Assert.True(audit.Status == HttpStatusCode.OK, audit.Body);
        return audit.Json;
    }

    public Task<Response> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null) =>
        SendRawAsync(method, path, token, body is null ? null : JsonSerializer.Serialize(body, JsonSerializerOptions.Web), idempotencyKey);

    public async Task<Response> SendRawAsync(HttpMethod method, string path, string? token, string? body, string? idempotencyKey = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await Http.SendAsync(request);
        return new Response(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// What a client does with a retryable answer while the cluster heals: wait and send the same request again
    /// (same idempotency key), at most <paramref name="maxAttempts"/> times.
    /// </summary>
    public static async Task<Response> RetryWhileUnavailableAsync(Func<Task<Response>> send, int maxAttempts, TimeSpan delay)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.Status != HttpStatusCode.ServiceUnavailable || attempt == maxAttempts)
            {
                return response;
            }

            Assert.True(response.Json["retryable"]!.GetValue<bool>(), response.Body);
            await Task.Delay(delay);
        }
    }
}
