namespace Orleans.Payments.Runtime;

/// <summary>
/// Overrides the silo's collection age for one grain class: how long an idle activation of it is kept. Short-lived
/// grains (one per request key, say) set it low so that idle activations do not pile up in memory.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CollectionAgeAttribute(int seconds) : Attribute
{
    public TimeSpan Age { get; } = seconds > 0
        ? TimeSpan.FromSeconds(seconds)
        : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A collection age is positive.");
}
