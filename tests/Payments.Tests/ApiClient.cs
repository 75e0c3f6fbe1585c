using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Serialization.Json;
using Payments.Client;
using Payments.Client.Generated;
using Payments.Client.Generated.Models;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// A REST client for the tests: real HTTP. The helpers that expect success (sign-up, wallet, history, audit) go
/// through the typed client generated from the OpenAPI document; the rest send and read raw JSON, to test the wire.
/// </summary>
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

    /// <summary>Signs a user up and in (and funds the wallet) through the typed client.</summary>
    public async Task<(string Id, string Token)> SignUpAsync(string username, long deposit = 0)
    {
        var anonymous = PaymentsClient.Create(Http);
        var user = await WhileBusyAsync(() => anonymous.V1.Users.PostAsync(new CreateUserRequest { Username = username, DisplayName = username, Password = Password }));
        var session = await WhileBusyAsync(() => anonymous.V1.Sessions.PostAsync(new CreateSessionRequest { Username = username, Password = Password }));
        Assert.Equal(user.Id, session.UserId);
        if (deposit > 0)
        {
            var deposited = await Typed(session.Token!).V1.Wallet.Deposits.PostAsync(
                new MovementRequest { Amount = deposit },
                PaymentsClient.IdempotencyKey<DefaultQueryParameters>(Guid.NewGuid().ToString()));
            Assert.Equal(deposit, Declared(deposited).Balance);
        }

        return (user.Id!, session.Token!);
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

    /// <summary><see cref="WhileBusyAsync(Func{Task{Response}})"/> for a typed call, whose 503 is an <see cref="Error"/>.</summary>
    private static async Task<T> WhileBusyAsync<T>(Func<Task<T?>> send)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Declared(await send());
            }
            catch (Error busy) when (busy.ResponseStatusCode == (int)HttpStatusCode.ServiceUnavailable && attempt < 100)
            {
                await Task.Delay(Random.Shared.Next(20, 200));
            }
        }
    }

    public Task<Response> TransferAsync(string token, string to, long amount, string key, string note = "", string visibility = "public") =>
        SendAsync(HttpMethod.Post, "/v1/transfers", token, new { to, amount, currency = "USD", note, visibility }, key);

    public async Task<JsonNode> WalletAsync(string token) => await AsJsonAsync(Declared(await Typed(token).V1.Wallet.GetAsync()));

    /// <summary>Every history entry, newest first, read a page of 100 at a time through the typed client.</summary>
    public async Task<List<JsonNode>> HistoryAsync(string token)
    {
        var client = Typed(token);
        var entries = new List<JsonNode>();
        string? cursor = null;
        for (var page = 0; page < 100_000; page++)
        {
            var response = Declared(await client.V1.Wallet.Transactions.GetAsync(request =>
            {
                request.QueryParameters.Limit = 100;
                request.QueryParameters.StartingAfter = cursor;
            }));
            foreach (var entry in response.Data!)
            {
                entries.Add(await AsJsonAsync(entry));
            }

            if (response.HasMore != true)
            {
                return entries;
            }

            cursor = response.Data![^1].Id;
        }

        throw new InvalidOperationException("History did not end.");
    }

    public async Task<JsonNode> AuditAsync(string adminToken) => await AsJsonAsync(Declared(await Typed(adminToken).V1.Admin.Ledger.Audit.GetAsync()));

    /// <summary>Creates a merchant owned by the signed-in user (typed client); its id.</summary>
    public async Task<string> CreateMerchantAsync(string ownerToken, string name, string currency) =>
        Declared(await Typed(ownerToken).V1.Merchants.PostAsync(new CreateMerchantRequest { Name = name, Country = "US", DefaultCurrency = currency })).Id!;

    /// <summary>Issues an API key of the merchant (typed client); its secret.</summary>
    public async Task<string> CreateApiKeyAsync(string ownerToken, string merchantId) =>
        Declared(await Typed(ownerToken).V1.Merchants[merchantId].Api_keys.PostAsync()).Secret!;

    /// <summary>A payment as its merchant's API key reads it (typed client).</summary>
    public async Task<JsonNode> PaymentAsync(string apiKey, string paymentId) => await AsJsonAsync(Declared(await Typed(apiKey).V1.Payments[paymentId].GetAsync()));

    /// <summary>The merchant's balance (typed client).</summary>
    public async Task<JsonNode> MerchantBalanceAsync(string apiKey) => await AsJsonAsync(Declared(await Typed(apiKey).V1.Balance.GetAsync()));

    private PaymentsApiClient Typed(string token) => PaymentsClient.Create(Http, token);

    /// <summary>
    /// The model, after checking that the server sent nothing the OpenAPI document leaves out: Kiota keeps undeclared
    /// properties in <see cref="IAdditionalDataHolder.AdditionalData"/>, so a drift between server and document fails here.
    /// </summary>
    private static T Declared<T>(T? model)
        where T : class
    {
        Assert.NotNull(model);
        AssertDeclared(model, typeof(T).Name);
        return model;
    }

    private static void AssertDeclared(object model, string path)
    {
        // A map (additionalProperties, e.g. a payment's metadata) has no declared properties: its entries are its data.
        var isMap = model.GetType().GetProperties().All(property => property.Name == nameof(IAdditionalDataHolder.AdditionalData));
        if (model is IAdditionalDataHolder holder && !isMap)
        {
            Assert.True(holder.AdditionalData.Count == 0, $"{path}: the server sent {string.Join(", ", holder.AdditionalData.Keys)}, which the OpenAPI document does not declare.");
        }

        foreach (var property in model.GetType().GetProperties().Where(property => property.GetIndexParameters().Length == 0 && property.Name != nameof(IAdditionalDataHolder.AdditionalData)))
        {
            switch (property.GetValue(model))
            {
                case IAdditionalDataHolder nested:
                    AssertDeclared(nested, $"{path}.{property.Name}");
                    break;
                case System.Collections.IEnumerable items and not string:
                    foreach (var item in items.OfType<IAdditionalDataHolder>())
                    {
                        AssertDeclared(item, $"{path}.{property.Name}[]");
                    }

                    break;
            }
        }
    }

    /// <summary>The model as JSON, written by the client's own serializer.</summary>
    private static async Task<JsonNode> AsJsonAsync<T>(T model)
        where T : IParsable =>
        JsonNode.Parse(await KiotaJsonSerializer.SerializeAsStringAsync(model))!;

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
