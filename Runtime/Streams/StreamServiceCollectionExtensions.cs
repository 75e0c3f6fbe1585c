using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Payments.Runtime.Postgres;

namespace Orleans.Payments.Runtime.Streams;

public static class StreamServiceCollectionExtensions
{
    /// <summary>
    /// Durable streams over the outbox table: delivery to implicit and explicit subscribers (an <c>NpgsqlDataSource</c>
    /// and the grain runtime must be registered). Options bind from <see cref="StreamOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddStreams(this IServiceCollection services)
    {
        services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StreamOptions>, StreamOptionsValidator>();
        services.AddSingleton<StreamSubscriptionTable>();
        services.AddSingleton<StreamDeadLetterTable>();
        services.AddWalFlushBarrier();
        services.AddDedicatedDataSource(StreamLog.DataSourceKey).AddSingleton<StreamLog>();
        services.AddSingleton<StreamConsumers>();
        services.AddSingleton<StreamDeliverer>();
        services.AddHostedService<StreamDeliveryService>();
        services.AddSingleton<StreamOutboxJanitor>();
        services.AddHostedService(provider => provider.GetRequiredService<StreamOutboxJanitor>());
        return services;
    }
}
