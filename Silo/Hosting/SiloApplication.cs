using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Payments.ApiFrontend;
using Payments.Infrastructure.Hosting;

namespace Payments.Silo.Hosting;

/// <summary>
/// Builds the silo's web application: Orleans with the payment grains, health endpoints and the co-hosted REST API
/// (<c>Payments:Api:Enabled</c>). Program.cs, in-process test hosts and the benchmark share it.
/// </summary>
public static class SiloApplication
{
    public static WebApplication Build(WebApplicationBuilder builder, string connectionString, params Assembly[] extraGrainAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPaymentsLogging();
        builder.AddSilo(connectionString, extraGrainAssemblies);
        builder.AddPaymentsApi();
        var app = builder.Build();
        app.UsePaymentsRequestLogging();
        app.MapHealthEndpoints();
        app.MapPaymentsApi();
        return app;
    }
}
