using System.Reflection;
using Orleans.Payments.Runtime.Activation;

namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// The log's consumers in this silo: one per implicit subscription found on the hosted grain classes and their
/// interfaces, plus the explicit subscriptions. Every silo of a cluster hosts the same grains, so they agree.
/// </summary>
internal sealed class StreamConsumers
{
    public StreamConsumers(GrainClassRegistry registry)
    {
        var consumers = new List<StreamConsumer>();
        foreach (var (metadata, classType) in registry.HostedTypes().OrderBy(hosted => hosted.Interface.GrainType, StringComparer.Ordinal))
        {
            var grainInterface = metadata.InterfaceType;
            var namespaces = classType.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>()
                .Concat(grainInterface.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>())
                .Select(attribute => attribute.Namespace)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (namespaces.Count > 0 && !typeof(IStreamSubscriber).IsAssignableFrom(grainInterface))
            {
                throw new InvalidOperationException(
                    $"{classType.FullName} subscribes implicitly to streams, so its grain interface {grainInterface.FullName} must extend IStreamSubscriber.");
            }

            consumers.AddRange(namespaces.Select(streamNamespace => StreamConsumer.Implicit(metadata.GrainType, streamNamespace)));
        }

        consumers.Add(StreamConsumer.Explicit);
        All = consumers;
    }

    public IReadOnlyList<StreamConsumer> All { get; }
}
