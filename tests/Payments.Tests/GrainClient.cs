using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Ledger;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Interfaces.Wallets;
using Orleans;
using Xunit;

namespace Payments.Tests;

/// <summary>Drives the domain through its grains, as the REST layer does, without HTTP.</summary>
public sealed class GrainClient(IGrainFactory grains)
{
    public IGrainFactory Grains { get; } = grains;

    public async Task<string> RegisterAsync(string username, long deposit = 0)
    {
        var registered = await Grains.GetGrain<IUserDirectoryGrain>("default").Register(username, username.ToUpperInvariant(), "correct horse battery");
        Assert.True(registered.Succeeded, registered.Error?.Message);
        var userId = registered.Value!.Id;
        if (deposit > 0)
        {
            var response = await ExecuteAsync(new DepositCommand(userId, deposit), $"deposit-{Guid.NewGuid():N}");
            Assert.Equal(201, response.Status);
        }

        return userId;
    }

    public Task<StoredResponse> SendAsync(string from, string to, long amount, string key, string note = "") =>
        ExecuteAsync(new TransferCommand(from, to, amount, "USD", note, "public"), key);

    public Task<StoredResponse> ExecuteAsync(IdempotentCommand command, string key) =>
        Grains.GetGrain<IIdempotencyGrain>($"{command.UserId}/{key}").Execute(command, Hash(command));

    public async Task<WalletView> WalletAsync(string userId)
    {
        var wallet = await Grains.GetGrain<IWalletGrain>(userId).Get();
        Assert.True(wallet.Succeeded, wallet.Error?.Message);
        return wallet.Value!;
    }

    public async Task<List<HistoryEntry>> HistoryAsync(string userId)
    {
        var entries = new List<HistoryEntry>();
        string? cursor = null;
        for (var page = 0; page < 10_000; page++)
        {
            var result = await Grains.GetGrain<IWalletGrain>(userId).History(WalletLimits.MaxHistoryPage, cursor);
            Assert.True(result.Succeeded, result.Error?.Message);
            entries.AddRange(result.Value!.Data);
            if (!result.Value.HasMore)
            {
                return entries;
            }

            cursor = result.Value.Data[^1].Id;
        }

        throw new InvalidOperationException("History did not end.");
    }

    public Task<LedgerAuditReport> AuditAsync() => Grains.GetGrain<ILedgerAuditGrain>("default").Audit();

    public static string Hash(IdempotentCommand command) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(command, PaymentsJson.Options))));

    public static T Body<T>(StoredResponse response) => JsonSerializer.Deserialize<T>(response.Body, PaymentsJson.Options)!;
}
