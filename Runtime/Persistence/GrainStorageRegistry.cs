using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Payments.Runtime.Persistence;

/// <summary>Resolves storage providers by name: keyed <see cref="IGrainStorage"/> services, the default under <see cref="DefaultName"/>.</summary>
internal sealed class GrainStorageRegistry(IServiceProvider services)
{
    public const string DefaultName = "Default";

    public IGrainStorage Get(string? name) =>
        services.GetKeyedService<IGrainStorage>(name ?? DefaultName)
        ?? throw new InvalidOperationException($"No grain storage named '{name ?? DefaultName}' is registered; register one with AddGrainStorage.");
}
