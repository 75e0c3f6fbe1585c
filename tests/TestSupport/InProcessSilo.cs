using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Payments.Silo.Hosting;

namespace Payments.TestSupport;

/// <summary>The whole silo (runtime, grains, REST API) in this process, serving real HTTP on a loopback port.</summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessSilo(WebApplication app, Uri baseAddress, string connectionString)
    {
        _app = app;
        BaseAddress = baseAddress;
        ConnectionString = connectionString;
    }

    public Uri BaseAddress { get; }

    /// <summary>The database the silo runs on.</summary>
    public string ConnectionString { get; }

    public IGrainFactory GrainFactory => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a silo on the database; <paramref name="settings"/> are configuration keys (e.g. "Payments:Wallets:DailySendLimit");
    /// <paramref name="grainAssemblies"/> hold test grains to host beside the domain's.
    /// </summary>
    public static async Task<InProcessSilo> StartAsync(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, params Assembly[] grainAssemblies)
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:Users:PasswordHashIterations"] = "1000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Payments:AdminToken"] = AdminToken,
            // Silos sharing a database need distinct addresses in the membership table.
            ["Payments:Cluster:SiloPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Payments:Cluster:GatewayPort"] = LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Configuration.AddInMemoryCollection(TestSignInLimits.Settings);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var app = SiloApplication.Build(builder, connectionString, grainAssemblies);
        await app.StartAsync();
        return new InProcessSilo(app, new Uri($"http://127.0.0.1:{port}"), connectionString);
    }

    /// <summary>The operator token test silos are configured with.</summary>
    public const string AdminToken = "test-admin-token-0123456789";

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

}
