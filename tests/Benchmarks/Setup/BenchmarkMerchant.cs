using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.Benchmarks.Setup;

/// <summary>The merchant a benchmark takes payments for: a seeded owner and a USD merchant made through its grain.</summary>
internal static class BenchmarkMerchant
{
    /// <param name="owner">A seeded user to own it; when absent, the first seeded user (bench_0) is made for it.</param>
    public static async Task<(string Owner, string MerchantId)> CreateAsync(WebApplication app, string name, string? owner = null)
    {
        owner ??= (await BenchmarkUsers.SeedAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), 1))[0];
        var merchantId = PrefixedId.New(PrefixedId.Merchant);
        var created = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IMerchantGrain>(merchantId).Create(owner, name, "US", "USD");
        if (created.Error is { } refused)
        {
            throw new InvalidOperationException($"The merchant was not created: {refused.Message}");
        }

        return (owner, merchantId);
    }
}
