namespace Orleans.Payments.Runtime.Streams;

/// <summary>
/// Subscribes a grain type to every stream of a namespace: the events of stream (namespace, K) go to this grain type's
/// grain with key K. Put it on the grain class or on its grain interface; the interface must extend <see cref="IStreamSubscriber"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = true, Inherited = false)]
public sealed class ImplicitStreamSubscriptionAttribute(string streamNamespace) : Attribute
{
    public string Namespace { get; } = streamNamespace;
}
