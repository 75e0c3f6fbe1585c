using System.Net.Http.Headers;
using System.Text;
using Microsoft.Kiota.Abstractions;
using Payments.Client;
using Payments.Client.Generated;
using Payments.Client.Generated.Models;

namespace Payments.Benchmarks.Transfers;

/// <summary>
/// The full system: POST /v1/transfers over HTTP with a session token and an idempotency key, through the typed client
/// (Client/) that API users get, so the benchmark also proves that client against the server (<see cref="SendAsync"/>),
/// or as a plain request that only reads the status (<see cref="SendPlainAsync"/>).
/// </summary>
internal static class HttpTransfers
{
    /// <summary>
    /// A client with a connection for every worker of the largest scenario (each has one request in flight), so that
    /// scaled-up scenarios measure the server, not requests queued for a connection in the client.
    /// </summary>
    public static HttpClient CreateClient(Uri baseAddress, IEnumerable<TransferScenario> scenarios) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = scenarios.Max(scenario => scenario.Workers) }) { BaseAddress = baseAddress };

    /// <summary>A typed client per session token, all over the one <paramref name="http"/>.</summary>
    public static PaymentsApiClient[] ClientsFor(HttpClient http, IEnumerable<string> tokens) =>
        [.. tokens.Select(token => PaymentsClient.Create(http, token))];

    /// <summary>One cent to <paramref name="to"/>; false when the API refused it.</summary>
    public static async Task<bool> SendAsync(PaymentsApiClient sender, string to)
    {
        try
        {
            var receipt = await sender.V1.Transfers.PostAsync(
                new CreateTransferRequest { To = to, Amount = 1, Currency = "USD" },
                PaymentsClient.IdempotencyKey<DefaultQueryParameters>(Guid.NewGuid().ToString("N")));
            return receipt?.Transfer is not null;
        }
        catch (Error)
        {
            return false;
        }
    }

    /// <summary>
    /// One cent to <paramref name="to"/> as the benchmark sent it before the typed client existed (the same bytes, the
    /// status read, the body not parsed). The load generator shares the process with the server, so comparing with
    /// builds of that time needs their load generator.
    /// </summary>
    public static async Task<bool> SendPlainAsync(HttpClient http, string token, string to)
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
