using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Transport;

namespace Orleans.Payments.Runtime.Cluster;

public static class GrainClientServiceCollectionExtensions
{
    /// <summary>
    /// For processes that host no grains (the REST front end): an <see cref="IGrainFactory"/> whose calls go straight
    /// to each grain's owning silo, found from the membership table (an <c>NpgsqlDataSource</c> must be registered).
    /// </summary>
    public static IServiceCollection AddGrainClient(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
        services.AddOptions<GrainRuntimeOptions>().BindConfiguration(GrainRuntimeOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MembershipTable>();
        services.AddSingleton(provider => new ClusterView(provider.GetRequiredService<IOptions<ClusterOptions>>().Value.DeathTimeout, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SiloConnectionPool>();
        services.AddSingleton<IGrainCallRouter>(provider =>
        {
            var view = provider.GetRequiredService<ClusterView>();
            return new ClusterCallRouter(
                view, self: null, local: null, silo => view.Suspect(silo),
                provider.GetRequiredService<SiloConnectionPool>(), provider.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.CallTimeout);
        });
        services.AddSingleton<IGrainFactory>(provider => new GrainFactory(provider.GetRequiredService<IGrainCallRouter>()));
        services.AddHostedService<GrainClientService>();
        return services;
    }
}
