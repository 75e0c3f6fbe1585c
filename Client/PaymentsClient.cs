using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Payments.Client.Generated;

namespace Payments.Client;

/// <summary>
/// Makes the typed client (<see cref="PaymentsApiClient"/>, generated) over an <see cref="HttpClient"/> whose
/// <see cref="HttpClient.BaseAddress"/> is the API's address. Requests carry <c>Authorization: Bearer</c> with the
/// given token: a user's session token, or the operator token. The HttpClient is used as it is: Kiota adds no retry
/// handler, so a 503 reaches the caller as an <see cref="Generated.Models.Error"/> (retry it with the same
/// Idempotency-Key).
/// </summary>
public static class PaymentsClient
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static PaymentsApiClient Create(HttpClient http, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var authentication = bearerToken is null ? (IAuthenticationProvider)new AnonymousAuthenticationProvider() : new BearerToken(bearerToken);
        var adapter = new HttpClientRequestAdapter(authentication, httpClient: http)
        {
            BaseUrl = http.BaseAddress?.ToString().TrimEnd('/'),
        };
        return new PaymentsApiClient(adapter);
    }

    /// <summary>
    /// The request configuration that sends <paramref name="key"/> as the Idempotency-Key header (Kiota types query
    /// parameters, not headers): <c>client.V1.Transfers.PostAsync(body, PaymentsClient.IdempotencyKey&lt;DefaultQueryParameters&gt;(key))</c>.
    /// </summary>
    public static Action<RequestConfiguration<T>> IdempotencyKey<T>(string key)
        where T : class, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return configuration => configuration.Headers.Add(IdempotencyKeyHeader, key);
    }

    private sealed class BearerToken(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            request.Headers.TryAdd("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }
    }
}
