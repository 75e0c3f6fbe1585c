namespace Orleans.Payments.Runtime;

/// <summary>
/// Lets calls to a grain interleave at <c>await</c> points. Segments still never run in parallel, so
/// state changed within one synchronous segment is never seen half-done.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ReentrantAttribute : Attribute;
