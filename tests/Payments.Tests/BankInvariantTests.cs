using System.Collections.Concurrent;
using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Jepsen's "bank" over real HTTP: many concurrent random transfers, some retried with the same key (some of the
/// retries concurrent with the original); afterwards no money was created or lost and every acknowledged transfer
/// appears exactly once on each side.
/// </summary>
public sealed class BankInvariantTests : IAsyncLifetime
{
    private const int Users = 30;
    private const long InitialDeposit = 100_000;
    private InProcessSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("bank"));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Concurrent_transfers_with_retries_neither_create_nor_lose_money()
    {
        using var http = _silo.CreateClient();
        var api = new ApiClient(http);
        var users = await Task.WhenAll(Enumerable.Range(0, Users).Select(i => api.SignUpAsync($"bank_user_{i}", InitialDeposit)));
        var withdrawn = 0L;
        var withdrawal = await api.SendAsync(HttpMethod.Post, "/v1/wallet/withdrawals", users[0].Token, new { amount = 1_000 }, "withdraw-once");
        Assert.Equal(HttpStatusCode.Created, withdrawal.Status);
        withdrawn += 1_000;

        var acknowledged = new ConcurrentDictionary<string, (int From, int To, long Amount, string Body)>();
        var refused = 0;
        using var gate = new SemaphoreSlim(48);
        await Task.WhenAll(Enumerable.Range(0, 3_000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var random = new Random(i);
                var from = random.Next(Users);
                var to = (from + 1 + random.Next(Users - 1)) % Users;
                var amount = 1 + random.Next(5_000);
                var key = $"bank-{i}";
                var attempts = i % 10 == 0
                    // A concurrent duplicate, as when a client times out and retries at once.
                    ? await Task.WhenAll(api.TransferAsync(users[from].Token, users[to].Id, amount, key), api.TransferAsync(users[from].Token, users[to].Id, amount, key))
                    : [await api.TransferAsync(users[from].Token, users[to].Id, amount, key)];
                if (i % 5 == 0)
                {
                    attempts = [.. attempts, await api.TransferAsync(users[from].Token, users[to].Id, amount, key)];
                }

                Assert.All(attempts, attempt => Assert.Equal(attempts[0], attempt));
                if (attempts[0].Status == HttpStatusCode.Created)
                {
                    var id = attempts[0].Json["transfer"]!["id"]!.GetValue<string>();
                    Assert.True(acknowledged.TryAdd(id, (from, to, amount, attempts[0].Body)), $"Transfer id {id} acknowledged twice.");
                }
                else
                {
                    Assert.Equal("INSUFFICIENT_FUNDS", attempts[0].Code);
                    Interlocked.Increment(ref refused);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.True(acknowledged.Count > 2_000, $"Only {acknowledged.Count} transfers were acknowledged ({refused} refused).");
        var audit = await api.AuditAsync(InProcessSilo.AdminToken);
        Assert.True(audit["balanced"]!.GetValue<bool>(), audit.ToJsonString());

        var wallets = await Task.WhenAll(users.Select(user => api.WalletAsync(user.Token)));
        Assert.All(wallets, wallet => Assert.True(wallet["balance"]!.GetValue<long>() >= 0));
        Assert.Equal(Users * InitialDeposit - withdrawn, wallets.Sum(wallet => wallet["balance"]!.GetValue<long>()));

        // Every acknowledged transfer exactly once on each side, and nothing else.
        var histories = await Task.WhenAll(users.Select(user => api.HistoryAsync(user.Token)));
        for (var user = 0; user < Users; user++)
        {
            var outgoing = histories[user].Where(entry => entry["type"]!.GetValue<string>() == "transfer_out").Select(entry => entry["id"]!.GetValue<string>()).ToList();
            var incoming = histories[user].Where(entry => entry["type"]!.GetValue<string>() == "transfer_in").Select(entry => entry["id"]!.GetValue<string>()).ToList();
            Assert.Equal(acknowledged.Where(pair => pair.Value.From == user).Select(pair => pair.Key).Order(), outgoing.Order());
            Assert.Equal(acknowledged.Where(pair => pair.Value.To == user).Select(pair => pair.Key).Order(), incoming.Order());
            var expected = InitialDeposit - (user == 0 ? withdrawn : 0)
                - acknowledged.Values.Where(transfer => transfer.From == user).Sum(transfer => transfer.Amount)
                + acknowledged.Values.Where(transfer => transfer.To == user).Sum(transfer => transfer.Amount);
            Assert.Equal(expected, wallets[user]["balance"]!.GetValue<long>());
            Assert.Equal(expected, histories[user][0]["balanceAfter"]!.GetValue<long>());
        }
    }
}
