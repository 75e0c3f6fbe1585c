namespace Orleans.Payments.Runtime;

/// <summary>
/// Names the grain type of a grain interface. The name is part of every grain id and of every stored
/// state row, so it must stay stable across renames of the C# interface.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
