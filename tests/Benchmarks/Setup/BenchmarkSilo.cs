using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Payments.Silo.Hosting;
using Payments.TestSupport;

namespace Payments.Benchmarks.Setup;

/// <summary>
/// The project's silo (SiloApplication: Orleans over PostgreSQL, the payment grains, the REST API) in this process, with
/// limits raised so the load generator measures the payment path, not the rate limiter or the daily send limit.
/// </summary>
/// <remarks>
/// Not TestSupport's InProcessSilo: the benchmark also hosts its own grains (the orleans-tx wallets, the plain stock
/// grain), with the product's configuration (Orleans Transactions included: orders reserve stock with them).
/// </remarks>
internal static class BenchmarkSilo
{
    public static async Task<WebApplication> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The silo logs through Serilog; the load generator shares its cores with the console. A closed loop at
            // saturation makes slow requests by design (the latency percentiles report them): no warning for each.
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Serilog.AspNetCore.RequestLoggingMiddleware"] = "Error",
            ["Payments:Wallets:DailySendLimit"] = "1000000000000",
            ["Payments:Users:PasswordHashIterations"] = "1000",
            ["Payments:Api:RateLimit:PermitsPerSecond"] = "1000000",
            ["Payments:Api:RateLimit:Burst"] = "1000000",
            // Orleans' default ports (11111, 30000) clash with anything else running on a shared machine.
            ["Payments:Cluster:SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            ["Payments:Cluster:GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
        });
        // Sessions for every user are made 64 logins at a time (BenchmarkUsers.LoginAllAsync), from one address.
        builder.Configuration.AddInMemoryCollection(TestSignInLimits.Settings);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var app = SiloApplication.Build(builder, connectionString, typeof(BenchmarkSilo).Assembly);
        await app.StartAsync();
        return app;
    }
}
