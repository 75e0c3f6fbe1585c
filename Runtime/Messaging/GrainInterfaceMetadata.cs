using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;

namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// What the runtime knows about one grain interface: its grain type name and its methods, each with a compiled invoker.
/// Built once per interface and shared by all references to it.
/// </summary>
internal sealed class GrainInterfaceMetadata
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceMetadata> s_cache = new();

    private GrainInterfaceMetadata(Type interfaceType)
    {
        if (!interfaceType.IsInterface || !typeof(IGrainWithStringKey).IsAssignableFrom(interfaceType))
        {
            throw new ArgumentException($"{interfaceType.FullName} is not a grain interface (an interface deriving from IGrainWithStringKey).", nameof(interfaceType));
        }

        InterfaceType = interfaceType;
        GrainType = interfaceType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? interfaceType.FullName!;
        Methods = new[] { interfaceType }
            .Concat(interfaceType.GetInterfaces())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .ToFrozenDictionary(method => method, GrainMethod.Create);
    }

    public Type InterfaceType { get; }

    /// <summary>The grain type part of grain ids of this interface.</summary>
    public string GrainType { get; }

    public FrozenDictionary<MethodInfo, GrainMethod> Methods { get; }

    public static GrainInterfaceMetadata For(Type interfaceType) =>
        s_cache.GetOrAdd(interfaceType, static type => new GrainInterfaceMetadata(type));
}
