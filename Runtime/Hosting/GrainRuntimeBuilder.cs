using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Payments.Runtime.Persistence;

namespace Orleans.Payments.Runtime.Hosting;

/// <summary>Configures the grain runtime: which grain classes this silo hosts and where their state lives.</summary>
public sealed class GrainRuntimeBuilder(IServiceCollection services)
{
    internal List<Type> GrainClasses { get; } = [];

    public IServiceCollection Services { get; } = services;

    /// <summary>Hosts every concrete grain class found in the assemblies.</summary>
    public GrainRuntimeBuilder AddGrains(params Assembly[] assemblies)
    {
        foreach (var assembly in assemblies)
        {
            GrainClasses.AddRange(assembly.GetTypes().Where(type => type is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(type)));
        }

        return this;
    }

    /// <summary>Hosts the given grain classes.</summary>
    public GrainRuntimeBuilder AddGrains(params Type[] grainClasses)
    {
        GrainClasses.AddRange(grainClasses);
        return this;
    }

    /// <summary>Registers a storage provider under a name (<see cref="GrainStorageRegistry.DefaultName"/> when omitted).</summary>
    public GrainRuntimeBuilder AddGrainStorage<TStorage>(string? name = null)
        where TStorage : class, IGrainStorage
    {
        Services.AddKeyedSingleton<IGrainStorage, TStorage>(name ?? GrainStorageRegistry.DefaultName);
        return this;
    }
}
