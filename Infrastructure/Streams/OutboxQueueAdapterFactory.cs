using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Streams;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// The outbox as an Orleans persistent stream provider: a queue per partition (<see cref="OutboxQueueMapper"/>), read by
/// <see cref="OutboxQueueReceiver"/>, cached by <see cref="OutboxQueueCache"/> (which releases delivered events for
/// checkpointing), and dead letters through <see cref="OutboxDeliveryFailureHandler"/>. Registered by
/// <see cref="OutboxStreams.AddOutboxStreams"/>.
/// </summary>
internal sealed class OutboxQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly OutboxQueueAdapter _adapter;
    private readonly OutboxQueueAdapterCache _cache;
    private readonly OutboxQueueMapper _mapper;
    private readonly OutboxDeliveryFailureHandler _failureHandler;

    private OutboxQueueAdapterFactory(string name, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StreamOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var splits = new SplitBatches();
        _adapter = new OutboxQueueAdapter(name, services.GetRequiredService<OutboxLog>(), services.GetRequiredService<NpgsqlDataSource>(), options, loggers);
        _cache = new OutboxQueueAdapterCache(options.BatchSize * options.MaxBatchesInFlight, splits);
        _mapper = new OutboxQueueMapper(name, options.Partitions);
        _failureHandler = new OutboxDeliveryFailureHandler(
            services.GetRequiredService<StreamDeliveryFailures>(), splits, options, loggers.CreateLogger<OutboxDeliveryFailureHandler>());
    }

    /// <summary>The factory Orleans resolves for provider <paramref name="name"/>.</summary>
    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new OutboxQueueAdapterFactory(name, services);

    [Obsolete("Orleans calls the overload with a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(_adapter);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(_failureHandler);
}
