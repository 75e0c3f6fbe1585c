using Microsoft.Extensions.DependencyInjection;
using Orleans.Payments.Runtime.Cluster;

namespace Orleans.Payments.Runtime.Transport;

public static class TransportServiceCollectionExtensions
{
    /// <summary>Serves grain calls from other silos and clients on <see cref="ClusterOptions.SiloPort"/>.</summary>
    public static IServiceCollection AddSiloTransport(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
        services.AddSingleton<SiloTransportServer>();
        services.AddHostedService(provider => provider.GetRequiredService<SiloTransportServer>());
        return services;
    }
}
