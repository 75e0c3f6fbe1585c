using System.Collections.Frozen;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Activation;

/// <summary>Maps grain type names (from grain interfaces) to the classes that implement them in this silo.</summary>
internal sealed class GrainClassRegistry
{
    private readonly FrozenDictionary<string, GrainClass> _classes;
    private readonly FrozenDictionary<string, GrainInterfaceMetadata> _interfaces;

    public GrainClassRegistry(IEnumerable<Type> grainClasses)
    {
        var byGrainType = new Dictionary<string, GrainClass>(StringComparer.Ordinal);
        var interfaces = new Dictionary<string, GrainInterfaceMetadata>(StringComparer.Ordinal);
        foreach (var type in grainClasses.Distinct())
        {
            var grainClass = new GrainClass(type);
            foreach (var grainInterface in type.GetInterfaces().Where(IsGrainInterface))
            {
                var metadata = GrainInterfaceMetadata.For(grainInterface);
                interfaces[metadata.GrainType] = metadata;
                var grainType = metadata.GrainType;
                if (!byGrainType.TryAdd(grainType, grainClass))
                {
                    throw new InvalidOperationException(
                        $"Grain interface {grainInterface.FullName} is implemented by both {byGrainType[grainType].Type.FullName} and {type.FullName}; one class per grain interface.");
                }
            }
        }

        _classes = byGrainType.ToFrozenDictionary(StringComparer.Ordinal);
        _interfaces = interfaces.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The grain interface of a grain type this silo hosts (how remote calls find the method to run).</summary>
    public bool TryGetInterface(string grainType, out GrainInterfaceMetadata metadata) => _interfaces.TryGetValue(grainType, out metadata!);

    /// <summary>Each hosted grain interface with its implementation class.</summary>
    public IEnumerable<(GrainInterfaceMetadata Interface, Type ClassType)> HostedTypes() =>
        _classes.Select(pair => (_interfaces[pair.Key], pair.Value.Type));

    /// <summary>Whether calls to this grain type made on this silo are served here (see <see cref="StatelessWorkerAttribute"/>).</summary>
    public bool IsStatelessWorker(string grainType) => _classes.TryGetValue(grainType, out var grainClass) && grainClass.IsStatelessWorker;

    public GrainClass Get(string grainType) =>
        _classes.TryGetValue(grainType, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException($"No grain class in this silo implements grain type '{grainType}'; register its assembly with AddGrains.");

    // The runtime's callback interfaces (reminders, streams) are implemented by many grain types and name none.
    private static bool IsGrainInterface(Type type) =>
        typeof(IGrainWithStringKey).IsAssignableFrom(type)
        && type != typeof(IGrainWithStringKey) && type != typeof(IGrain) && type != typeof(IRemindable) && type != typeof(Streams.IStreamSubscriber);
}
