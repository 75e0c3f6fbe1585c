using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Persistence;

namespace Orleans.Payments.Runtime.Hosting;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>Adds a silo's grain runtime: catalog, grain factory, storage, collection and call timeouts.</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GrainRuntimeBuilder(services);
        configure(builder);

        services.AddOptions<GrainRuntimeOptions>().BindConfiguration(GrainRuntimeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GrainRuntimeOptions>, GrainRuntimeOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new GrainClassRegistry(builder.GrainClasses));
        services.AddSingleton<GrainStorageRegistry>();
        services.AddSingleton<ActivationCatalog>();
        // The router decides where a call runs: this catalog on a single silo; the cluster adds its own (TryAdd).
        services.TryAddSingleton<IGrainCallRouter>(provider => provider.GetRequiredService<ActivationCatalog>());
        services.AddSingleton<IGrainFactory>(provider => new GrainFactory(provider.GetRequiredService<IGrainCallRouter>()));
        services.AddSingleton<GrainRuntimeStatus>();
        services.AddHostedService<GrainRuntimeHostedService>();
        return services;
    }
}
