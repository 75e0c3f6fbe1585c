using System.Reflection;

namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// The object behind a typed grain reference: every interface call becomes a <see cref="GrainCall{TResult}"/>
/// sent through the router. Created by <see cref="DispatchProxy"/>; one per <c>GetGrain</c>.
/// </summary>
public class GrainReference : DispatchProxy
{
    private GrainInterfaceMetadata _metadata = null!;
    private IGrainCallRouter _router = null!;

    /// <summary>The grain this reference addresses.</summary>
    public GrainId GrainId { get; private set; }

    internal static TGrainInterface Create<TGrainInterface>(GrainInterfaceMetadata metadata, IGrainCallRouter router, string key)
    {
        var proxy = DispatchProxy.Create<TGrainInterface, GrainReference>();
        var reference = (GrainReference)(object)proxy!;
        reference._metadata = metadata;
        reference._router = router;
        reference.GrainId = new GrainId(metadata.GrainType, key);
        return proxy;
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
