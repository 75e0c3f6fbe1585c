using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Activation;
using Orleans.Payments.Runtime.Hosting;
using Orleans.Payments.Runtime.Messaging;
using Orleans.Payments.Runtime.Transport;

namespace Orleans.Payments.Runtime.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Makes this silo a member of its cluster: membership in PostgreSQL, the silo transport, and routing of calls to
    /// each grain's owner. Register it before the grain runtime: it then joins first and declares itself dead last,
    /// after the runtime has stopped.
    /// </summary>
    public static IServiceCollection AddClusterMembership(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.ClusterId), $"{ClusterOptions.SectionName}:{nameof(ClusterOptions.ClusterId)} is required.")
            .Validate(options => options.SiloPort is > 0 and < 65536, $"{ClusterOptions.SectionName}:{nameof(ClusterOptions.SiloPort)} must be a TCP port.")
            .Validate(options => options.HeartbeatInterval > TimeSpan.Zero, $"{ClusterOptions.SectionName}:{nameof(ClusterOptions.HeartbeatInterval)} must be positive.")
            .Validate(options => options.DeathTimeout >= 2 * options.HeartbeatInterval, $"{ClusterOptions.SectionName}:{nameof(ClusterOptions.DeathTimeout)} must be at least two heartbeat intervals.")
            .ValidateOnStart();
        // The transport listens before the silo announces itself, so nobody routes to a silo that cannot answer yet.
        services.AddSiloTransport();
        services.AddSingleton<MembershipTable>();
        services.AddSingleton<MembershipService>();
        services.AddHostedService(provider => provider.GetRequiredService<MembershipService>());
        services.AddSingleton<SiloConnectionPool>();
        services.Replace(ServiceDescriptor.Singleton<IGrainCallRouter>(provider =>
        {
            var membership = provider.GetRequiredService<MembershipService>();
            return new ClusterCallRouter(
                membership.View, membership.Self, provider.GetRequiredService<ActivationCatalog>(), membership.Suspect,
                provider.GetRequiredService<SiloConnectionPool>(), provider.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.CallTimeout);
        }));
        return services;
    }
}
