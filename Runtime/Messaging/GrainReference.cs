using System.Collections.Concurrent;
using System.Reflection;

namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// The object behind a typed grain reference: every interface call becomes a <see cref="GrainCall{TResult}"/>
/// sent through the router. One per <c>GetGrain</c>, cloned from a <see cref="DispatchProxy"/> made once per interface.
/// </summary>
public class GrainReference : DispatchProxy
{
    // DispatchProxy.Create builds every instance through Activator.CreateInstance, whose reflection cache the runtime
    // may drop at any GC; rebuilding it emits a new invoker (a DynamicMethod) that the finalizer thread must later
    // destroy, which under load cost a third of a core. A generated proxy's only own field is the interface's method
    // table, the same for every instance, so a shallow clone of one prototype is an equivalent instance.
    private static readonly ConcurrentDictionary<Type, GrainReference> s_prototypes = new();

    private GrainInterfaceMetadata _metadata = null!;
    private IGrainCallRouter _router = null!;

    /// <summary>The grain this reference addresses.</summary>
    public GrainId GrainId { get; private set; }

    internal static TGrainInterface Create<TGrainInterface>(GrainInterfaceMetadata metadata, IGrainCallRouter router, string key)
    {
        var prototype = s_prototypes.GetOrAdd(typeof(TGrainInterface), static _ => (GrainReference)(object)DispatchProxy.Create<TGrainInterface, GrainReference>()!);
        var reference = (GrainReference)prototype.MemberwiseClone();
        reference._metadata = metadata;
        reference._router = router;
        reference.GrainId = new GrainId(metadata.GrainType, key);
        return (TGrainInterface)(object)reference;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!_metadata.Methods.TryGetValue(targetMethod, out var method))
        {
            // Object members (ToString, Equals) are not grain calls.
            throw new NotSupportedException($"{targetMethod.Name} is not a method of grain interface {_metadata.InterfaceType.Name}.");
        }

        return method.Call(_router, GrainId, args);
    }

    public override string ToString() => GrainId.ToString();
}
