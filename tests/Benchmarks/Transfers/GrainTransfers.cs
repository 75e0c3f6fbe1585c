using Orleans;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Wallets;
using Payments.Infrastructure.References;

namespace Payments.Benchmarks.Transfers;

/// <summary>The grains path: a transfer through the idempotency grain, as the REST API sends it, without HTTP.</summary>
internal static class GrainTransfers
{
    public static async Task<bool> SendAsync(IGrainFactory grains, string from, string to)
    {
        var command = new TransferCommand(from, to, 1, "USD", "", "public");
        var key = Guid.NewGuid().ToString("N");
        var response = await grains.Reference<IIdempotencyGrain>($"{from}/{key}").Execute(command, key);
        return response.Status == 201;
    }

    /// <summary>
    /// A diagnostic: the same transfer sent to the wallet grain directly, as the idempotency grain would send it, so the
    /// difference from <see cref="SendAsync"/> is what the per-key idempotency activation costs.
    /// </summary>
    public static async Task<bool> SendToWalletAsync(IGrainFactory grains, string from, string to)
    {
        var command = new TransferCommand(from, to, 1, "USD", "", "public");
        var key = Guid.NewGuid().ToString("N");
        var outcome = await grains.Reference<IWalletGrain>(from).Send(command, new IdempotencyStamp(from, key, key));
        return outcome.Response.Status == 201;
    }
}
