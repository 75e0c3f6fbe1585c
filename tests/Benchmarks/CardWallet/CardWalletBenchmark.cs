using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Setup;
using Payments.Benchmarks.Transfers;
using Payments.Grains.Interfaces.CardWallet;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Merchants;
using Payments.TestSupport;

namespace Payments.Benchmarks.CardWallet;

/// <summary>
/// The card wallet through the whole API (real HTTP, sessions, API keys, idempotency keys), 64 workers, each path
/// against a baseline of the same shape in the same run:
/// - provisioning (POST /v1/cards: Luhn, a token from the simulated network, the card's row, its event and the
///   idempotency record) against a merchant card payment (POST /v1/payments by card: a network authorization and the
///   payment's ledger entry), both one outside call and one transaction;
/// - in-app payments (the merchant creates the payment, the payer confirms it with the device's cryptogram: the
///   network checks it and spends the counter, then the ledger entry) against wallet payments (the same two calls,
///   confirmed from the wallet's balance).
/// Every card is a fresh random number, and payers rotate over 1,000 users, as in a busy shop.
/// </summary>
internal static class CardWalletBenchmark
{
    private const int Workers = 64;
    private const int Users = 1_000;
    private const int DevicesPerUser = CardWalletLimits.MaxDevicesPerUser;

    public static async Task RunAsync(BenchmarkReport report, TimeSpan duration, IReadOnlyCollection<string> implementations)
    {
        await using var postgres = await BenchmarkPostgres.StartAsync();
        var connectionString = await BenchmarkPostgres.CreateDatabaseAsync(postgres.ConnectionString);
        await using var app = await BenchmarkSilo.StartAsync(connectionString);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var users = await BenchmarkUsers.SeedAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), Users);
        var (owner, merchantId) = await BenchmarkMerchant.CreateAsync(app, "In-app shop", users[0]);
        var apiKey = (await grains.GetGrain<IMerchantGrain>(merchantId).CreateApiKey(owner)).Value?.Secret ?? throw new InvalidOperationException("No API key.");
        await BenchmarkUsers.FundAsync(grains, users);
        var tokens = await BenchmarkUsers.LoginAllAsync(grains, users);
        var devices = await Task.WhenAll(users.Select(async user =>
            (await Task.WhenAll(Enumerable.Range(0, DevicesPerUser).Select(i => grains.GetGrain<ICardholderGrain>(user).AddDevice($"Device {i}", "ios"))))
                .Select(device => device.Value?.Id ?? throw new InvalidOperationException($"No device: {device.Error?.Message}")).ToArray()));
        Console.WriteLine($"Seeded {Users:N0} users with {DevicesPerUser} devices each");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Workers }) { BaseAddress = new Uri(app.Urls.First()) };
        var api = new Api(http, apiKey, merchantId);

        // One card per payer for the in-app payments, on the payer's first device.
        var wallets = new (string Card, SimulatedDevice Device)[Users];
        await Parallel.ForEachAsync(Enumerable.Range(0, Users), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (index, _) =>
        {
            var card = await api.ProvisionAsync(tokens[index], devices[index][0]) ?? throw new InvalidOperationException("A payer's card was not provisioned.");
            wallets[index] = (card["id"]!.GetValue<string>(), SimulatedDevice.For(card["tokenReference"]!.GetValue<string>()));
        });

        var next = -1;
        int NextIndex() => Interlocked.Increment(ref next);
        var paths = new Dictionary<string, Func<int, int, int, Task<bool>>>
        {
            ["provision"] = async (_, _, _) =>
            {
                var index = NextIndex();
                return await api.ProvisionAsync(tokens[index % Users], devices[index % Users][1 + index / Users % (DevicesPerUser - 1)]) is not null;
            },
            ["card-payment"] = (_, _, _) => api.CardPaymentAsync(),
            ["in-app"] = (_, _, _) =>
            {
                var index = NextIndex() % Users;
                return api.PayAsync($"bench_{index}", tokens[index], wallets[index]);
            },
            ["wallet-payment"] = (_, _, _) =>
            {
                var index = NextIndex() % Users;
                return api.PayAsync($"bench_{index}", tokens[index], null);
            },
        };
        var selected = paths.Keys.Where(implementations.Contains).ToList();
        var scenario = new TransferScenario("card-wallet", Workers, (_, _) => (0, 0));
        foreach (var implementation in selected)
        {
            await ClosedLoop.RunAsync(scenario, ClosedLoop.WarmUp / 3, paths[implementation]);
        }

        Console.WriteLine($"Warmed up for {ClosedLoop.WarmUp.TotalSeconds / 3:0} s on each path");
        foreach (var implementation in selected)
        {
            var result = await ClosedLoop.RunAsync(scenario, duration, paths[implementation]);
            var row = TransfersBenchmark.Row(scenario, implementation, result);
            row.Remove("transfersPerSecond");
            row["operationsPerSecond"] = result.TransfersPerSecond;
            report.Add(row);
        }

        var audit = await grains.GetGrain<ILedgerAuditGrain>("default").Audit();
        Console.WriteLine($"Ledger audit after the run: balanced={audit.Balanced}, transactions={audit.Transactions}");
        if (!audit.Balanced)
        {
            throw new InvalidOperationException("The ledger is not balanced after the benchmark.");
        }

        await app.StopAsync();
    }

    /// <summary>The API calls of the benchmark, each with a fresh idempotency key; null or false when refused.</summary>
    private sealed class Api(HttpClient http, string apiKey, string merchantId)
    {
        private const long Amount = 1_000;

        public async Task<JsonNode?> ProvisionAsync(string token, string deviceId)
        {
            var answer = await SendAsync(token, "/v1/cards", new { deviceId, number = RandomVisa(), expMonth = 12, expYear = 2030, cvc = "123", cardholderName = "Bench User" });
            return answer is { Status: 201 } ? answer.Value.Body : null;
        }

        public async Task<bool> CardPaymentAsync() =>
            await SendAsync(apiKey, "/v1/payments", new { amount = Amount, currency = "USD", paymentMethod = new { type = "card", number = RandomVisa(), expMonth = 12, expYear = 2030, cvc = "123" } })
                is { Status: 201 };

        /// <summary>The merchant's payment for the payer, confirmed with the card's cryptogram, or from the wallet when no card.</summary>
        public async Task<bool> PayAsync(string payer, string token, (string Card, SimulatedDevice Device)? wallet)
        {
            var created = await SendAsync(apiKey, "/v1/payments", new { amount = Amount, currency = "USD", paymentMethod = new { type = "wallet", user = payer } });
            if (created is not { Status: 201 } payment)
            {
                return false;
            }

            var path = $"/v1/payments/{payment.Body["id"]!.GetValue<string>()}/confirm";
            if (wallet is not { } card)
            {
                return await SendAsync(token, path, null) is { Status: 201 };
            }

            var (cryptogram, atc) = card.Device.Pay(Amount, "USD", merchantId);
            return await SendAsync(token, path, new { card = card.Card, cryptogram, atc }) is { Status: 201 };
        }

        private async Task<(int Status, JsonNode Body)?> SendAsync(string token, string path, object? body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            try
            {
                using var response = await http.SendAsync(request);
                return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }

        /// <summary>A random 16-digit Visa number with a valid check digit (a fresh card each time).</summary>
        private static string RandomVisa()
        {
            var digits = new int[16];
            digits[0] = 4;
            for (var i = 1; i < 15; i++)
            {
                digits[i] = RandomNumberGenerator.GetInt32(10);
            }

            var sum = 0;
            for (var i = 14; i >= 0; i--)
            {
                var digit = (14 - i) % 2 == 0 ? digits[i] * 2 : digits[i];
                sum += digit > 9 ? digit - 9 : digit;
            }

            digits[15] = (10 - sum % 10) % 10;
            return string.Concat(digits);
        }
    }
}
