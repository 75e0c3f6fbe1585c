using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Payments.Runtime.Persistence;

namespace Orleans.Payments.Runtime.Activation;

/// <summary>
/// A grain implementation class: how to construct it (services and persistent states for its constructor)
/// and how its calls are scheduled.
/// </summary>
internal sealed class GrainClass
{
    private readonly ConstructorInfo _constructor;
    private readonly ConstructorParameter[] _parameters;

    public GrainClass(Type type)
    {
        if (!typeof(Grain).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ArgumentException($"{type.FullName} is not a concrete grain class (a class deriving from Grain).", nameof(type));
        }

        Type = type;
        IsReentrant = type.GetCustomAttribute<ReentrantAttribute>() is not null;
        IsStatelessWorker = type.GetCustomAttribute<StatelessWorkerAttribute>() is not null;
        CollectionAge = type.GetCustomAttribute<CollectionAgeAttribute>()?.Age;
        var constructors = type.GetConstructors();
        if (constructors.Length != 1)
        {
            throw new InvalidOperationException($"Grain class {type.FullName} must have exactly one public constructor; it has {constructors.Length}.");
        }

        _constructor = constructors[0];
        _parameters = _constructor.GetParameters().Select(parameter => Describe(type, parameter)).ToArray();
    }

    public Type Type { get; }

    public bool IsReentrant { get; }

    /// <summary>Served on whichever silo calls it (see <see cref="StatelessWorkerAttribute"/>).</summary>
    public bool IsStatelessWorker { get; }

    /// <summary>This class's idle lifetime, when it overrides the silo's.</summary>
    public TimeSpan? CollectionAge { get; }

    /// <summary>Constructs the grain; its persistent states are returned so the activation can read them before OnActivateAsync.</summary>
    public Grain Create(IServiceProvider services, GrainStorageRegistry storages, JsonSerializerOptions json, GrainId grainId, out ILoadablePersistentState[] states)
    {
        var arguments = new object?[_parameters.Length];
        var loadable = new List<ILoadablePersistentState>();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.State is { } attribute)
            {
                var state = Activator.CreateInstance(parameter.Type, grainId, attribute.StateName, storages.Get(attribute.StorageName), json)!;
                loadable.Add((ILoadablePersistentState)state);
                arguments[i] = state;
            }
            else
            {
                arguments[i] = services.GetRequiredService(parameter.Type);
            }
        }

        states = loadable.ToArray();
        return (Grain)_constructor.Invoke(arguments);
    }

    // Reflection once per class: activations (a million of them in the benchmark) only look the answers up.
    private static ConstructorParameter Describe(Type grainClass, ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is not { } attribute)
        {
            return new ConstructorParameter(parameter.ParameterType, null);
        }

        if (!IsPersistentState(parameter.ParameterType))
        {
            throw new InvalidOperationException($"Parameter '{parameter.Name}' of {grainClass.FullName} has [PersistentState] but is not an IPersistentState<T>.");
        }

        return new ConstructorParameter(typeof(PersistentState<>).MakeGenericType(parameter.ParameterType.GetGenericArguments()[0]), attribute);
    }

    /// <summary>A constructor parameter: a service type to resolve, or (with <see cref="State"/>) the state class to create.</summary>
    private sealed record ConstructorParameter(Type Type, PersistentStateAttribute? State);

    private static bool IsPersistentState(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>);
}
