using System.Net.Http.Headers;
using System.Text;

namespace Payments.Benchmarks.Transfers;

/// <summary>The full system: POST /v1/transfers over HTTP with a session token and an idempotency key.</summary>
internal static class HttpTransfers
{
    /// <summary>
    /// A client with a connection for every worker of the largest scenario (each has one request in flight), so that
    /// scaled-up scenarios measure the server, not requests queued for a connection in the client.
    /// </summary>
    public static HttpClient CreateClient(Uri baseAddress, IEnumerable<TransferScenario> scenarios) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = scenarios.Max(scenario => scenario.Workers) }) { BaseAddress = baseAddress };

    public static async Task<bool> SendAsync(HttpClient http, string token, string to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/transfers")
        {
            Content = new StringContent($$"""{"to":"{{to}}","amount":1,"currency":"USD"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode == 201;
    }
}
