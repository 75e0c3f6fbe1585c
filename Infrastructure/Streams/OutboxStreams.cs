using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Providers;
using Orleans.Streams;
using Payments.Infrastructure.Postgres;

namespace Payments.Infrastructure.Streams;

/// <summary>Registers the outbox as the silo's Orleans stream provider.</summary>
public static class OutboxStreams
{
    /// <summary>The stream provider's name (<c>this.GetStreamProvider(OutboxStreams.ProviderName)</c>).</summary>
    public const string ProviderName = "outbox";

    /// <summary>
    /// Durable streams over the outbox table: Orleans pulling agents read each partition (queue) from its checkpoint and
    /// deliver to implicit subscribers (<c>[ImplicitStreamSubscription(namespace)]</c> consumer grains, see
    /// <see cref="StreamConsumerGrain"/>). Options bind from <see cref="StreamOptions.SectionName"/>. The host must
    /// register the shared <c>NpgsqlDataSource</c> (with <see cref="PostgresServiceCollectionExtensions.AddPostgresDataSource"/>).
    /// </summary>
    public static ISiloBuilder AddOutboxStreams(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamOptions>, StreamOptionsValidator>());
        services.AddWalFlushBarrier();
        services.AddDedicatedDataSource(OutboxLog.DataSourceKey).TryAddSingleton<OutboxLog>();
        services.TryAddSingleton<StreamDeliveryFailures>();
        services.TryAddSingleton<StreamDeadLetterTable>();
        services.AddHostedService<StreamOutboxJanitor>();

        return silo.AddPersistentStreams(ProviderName, OutboxQueueAdapterFactory.Create, stream =>
        {
            // Consumers are implicit subscribers only: no pub-sub grain, no PubSubStore, nothing to keep per stream.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptions<StreamOptions>>((pulling, streams) =>
            {
                pulling.GetQueueMsgsTimerPeriod = streams.Value.PollInterval;
                pulling.MaxEventDeliveryTime = streams.Value.MaxDeliveryTime;

                // One container per delivery: a container already holds a run of one stream's events, and a failure
                // must name one container for the cursor to split it (see OutboxQueueCacheCursor).
                pulling.BatchContainerBatchSize = 1;
            }));
            stream.ConfigureBackoffProvider(static (services, _) => (IMessageDeliveryBackoffProvider)Backoff(services));
            stream.ConfigureBackoffProvider(static (services, _) => (IQueueReaderBackoffProvider)Backoff(services));
        });
    }

    private static OutboxBackoff Backoff(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StreamOptions>>().Value;
        return new OutboxBackoff(options.RetryBackoff, options.MaxRetryBackoff);
    }
}
