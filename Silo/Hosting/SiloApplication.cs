using System.Reflection;
using Microsoft.AspNetCore.Builder;

namespace Orleans.Payments.Silo.Hosting;

/// <summary>Builds the silo's web application: runtime, grains, health endpoints. Program.cs and in-process test hosts share it.</summary>
public static class SiloApplication
{
    public static WebApplication Build(WebApplicationBuilder builder, string connectionString, params Assembly[] extraGrainAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSilo(connectionString, extraGrainAssemblies);
        var app = builder.Build();
        app.MapSiloEndpoints();
        return app;
    }
}
