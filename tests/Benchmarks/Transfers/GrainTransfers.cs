using Orleans;
using Payments.Grains.Interfaces.Idempotency;

namespace Payments.Benchmarks.Transfers;

/// <summary>The grains path: a transfer through the idempotency grain, as the REST API sends it, without HTTP.</summary>
internal static class GrainTransfers
{
    public static async Task<bool> SendAsync(IGrainFactory grains, string from, string to)
    {
        var command = new TransferCommand(from, to, 1, "USD", "", "public");
        var key = Guid.NewGuid().ToString("N");
        var response = await grains.GetGrain<IIdempotencyGrain>($"{from}/{key}").Execute(command, key);
        return response.Status == 201;
    }
}
