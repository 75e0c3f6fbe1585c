using System.Collections.Concurrent;
using System.Net;
using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>
/// Workers sending transfers among <paramref name="users"/> through one API with unique idempotency keys, retrying
/// retryable answers (503) and attempts that time out with the same key, as clients do; then a check that the ledger holds exactly what was acknowledged.
/// </summary>
internal sealed class TransferLoad(ApiClient api, (string Id, string Token)[] users)
{
    /// <summary>Acknowledged (201) transfers by id.</summary>
    public ConcurrentDictionary<string, (int From, int To, long Amount)> Acknowledged { get; } = new();

    /// <summary>Each worker sends its transfers in turn; <paramref name="round"/> keeps idempotency keys apart across runs.</summary>
    public Task RunAsync(int workers, int transfersPerWorker, string round = "load") => Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        for (var i = 0; i < transfersPerWorker; i++)
        {
            var from = (worker + i) % users.Length;
            var to = (from + 1 + i % (users.Length - 1)) % users.Length;
            var amount = 1 + (i * 7 + worker) % 200;
            await SendAsync(from, to, amount, $"{round}-{worker}-{i}");
        }
    })));

    /// <summary>Attempts abandoned because the HTTP client's timeout elapsed first (each was retried with the same key).</summary>
    public int AbandonedAttempts => _abandonedAttempts;

    private int _abandonedAttempts;

    /// <summary>
    /// One transfer from user <paramref name="from"/> to user <paramref name="to"/> (indexes into the users), retried
    /// every <paramref name="retryDelay"/> (default 250 ms, for up to about 30 s) while the answer is 503 or the attempt
    /// times out, through <paramref name="through"/> (default: the load's client); true if acknowledged.
    /// </summary>
    public async Task<bool> SendAsync(int from, int to, long amount, string key, TimeSpan? retryDelay = null, ApiClient? through = null)
    {
        var delay = retryDelay ?? TimeSpan.FromMilliseconds(250);
        var attempts = (int)(TimeSpan.FromSeconds(30) / delay) + 1;
        var client = through ?? api;
        var response = await ApiClient.RetryWhileUnavailableAsync(() => AttemptAsync(client, users[from].Token, users[to].Id, amount, key), attempts, delay);
        Assert.True(response.Status is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, $"{key}: {(int)response.Status} {response.Body}");
        if (response.Status != HttpStatusCode.Created)
        {
            return false;
        }

        Assert.True(Acknowledged.TryAdd(response.Json["transfer"]!["id"]!.GetValue<string>(), (from, to, amount)), "one transfer acknowledged twice");
        return true;
    }

    // A client that stops waiting does what it does on a 503: sends the same request again, with the same key (the
    // attempt it gave up on may still commit; the retry then answers with its result).
    private async Task<ApiClient.Response> AttemptAsync(ApiClient client, string token, string to, long amount, string key)
    {
        try
        {
            return await client.TransferAsync(token, to, amount, key);
        }
        catch (TaskCanceledException timedOut) when (timedOut.InnerException is TimeoutException)
        {
            Interlocked.Increment(ref _abandonedAttempts);
            return new ApiClient.Response(HttpStatusCode.ServiceUnavailable, """{"code":"CLIENT_TIMEOUT","retryable":true}""");
        }
    }

    /// <summary>The audit balances, no money appeared or vanished, and each acknowledged transfer is in the ledger exactly once.</summary>
    public async Task VerifyAsync(long initialDeposit)
    {
        var audit = await ApiClient.RetryWhileUnavailableAsync(() => api.SendAsync(HttpMethod.Get, "/v1/admin/ledger/audit", InProcessSilo.AdminToken), maxAttempts: 121, TimeSpan.FromMilliseconds(250));
        Assert.True(audit.Json["balanced"]!.GetValue<bool>(), audit.Body);
        var histories = await Task.WhenAll(users.Select(user => api.HistoryAsync(user.Token)));
        var sent = histories.SelectMany(history => history).Where(entry => entry["type"]!.GetValue<string>() == "transfer_out").Select(entry => entry["id"]!.GetValue<string>()).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        Assert.Equal(Acknowledged.Keys.Order(), sent.Order());
        var wallets = await Task.WhenAll(users.Select(user => api.WalletAsync(user.Token)));
        Assert.Equal(users.Length * initialDeposit, wallets.Sum(wallet => wallet["balance"]!.GetValue<long>()));
    }
}
