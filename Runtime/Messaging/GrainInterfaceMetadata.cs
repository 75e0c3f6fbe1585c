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

    private readonly FrozenDictionary<(string Interface, string Method, int Arity), GrainMethod> _byName;

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
        // A remote call names its method by interface, name and arity: overloads of one arity cannot be told apart, one serves.
        _byName = Methods.Values
            .GroupBy(method => (method.Method.DeclaringType!.FullName!, method.Method.Name, method.Method.GetParameters().Length))
            .ToFrozenDictionary(group => group.Key, group => group.First());
    }

    public Type InterfaceType { get; }

    /// <summary>The grain type part of grain ids of this interface.</summary>
    public string GrainType { get; }

    public FrozenDictionary<MethodInfo, GrainMethod> Methods { get; }

    /// <summary>The method a remote call names (declaring interface, name, parameter count), or null.</summary>
    public GrainMethod? FindMethod(string declaringInterface, string name, int arity) =>
        _byName.GetValueOrDefault((declaringInterface, name, arity));

    public static GrainInterfaceMetadata For(Type interfaceType) =>
        s_cache.GetOrAdd(interfaceType, static type => new GrainInterfaceMetadata(type));
}
