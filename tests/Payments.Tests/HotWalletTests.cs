using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>A hot wallet over real HTTP: many senders paying one receiver at the same time.</summary>
public sealed class HotWalletTests : IAsyncLifetime
{
    private InProcessSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("hotwallet"));

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task One_hundred_senders_paying_one_receiver_concurrently_add_up_exactly()
    {
        using var http = _silo.CreateClient();
        var api = new ApiClient(http);
        var receiver = await api.SignUpAsync("hot_http_receiver");
        var senders = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => api.SignUpAsync($"hot_http_sender_{i}", deposit: 5_000)));

        // Every sender sends three payments at once, all of them concurrently with everyone else's.
        var responses = await Task.WhenAll(senders.SelectMany((sender, i) => Enumerable.Range(0, 3).Select(j =>
            api.TransferAsync(sender.Token, receiver.Id, 100 + i + j, $"hot-{i}-{j}"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.Status));
        var expected = Enumerable.Range(0, 100).Sum(i => Enumerable.Range(0, 3).Sum(j => 100L + i + j));
        Assert.Equal(expected, (await api.WalletAsync(receiver.Token))["balance"]!.GetValue<long>());
        var history = await api.HistoryAsync(receiver.Token);
        Assert.Equal(300, history.Count);
        Assert.Equal(expected, history[0]["balanceAfter"]!.GetValue<long>());
        for (var i = 0; i < senders.Length; i++)
        {
            var sent = Enumerable.Range(0, 3).Sum(j => 100L + i + j);
            Assert.Equal(5_000 - sent, (await api.WalletAsync(senders[i].Token))["balance"]!.GetValue<long>());
        }

        Assert.True((await api.AuditAsync(InProcessSilo.AdminToken))["balanced"]!.GetValue<bool>());
    }
}
