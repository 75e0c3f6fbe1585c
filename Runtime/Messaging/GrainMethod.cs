using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace Orleans.Payments.Runtime.Messaging;

/// <summary>
/// One method of a grain interface, with a compiled invoker so that a call costs a delegate call,
/// not reflection. Results are carried as <typeparamref name="TResult"/> (object? for methods without one).
/// </summary>
internal abstract class GrainMethod
{
    protected GrainMethod(MethodInfo method)
    {
        Method = method;
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
    }

    public MethodInfo Method { get; }

    /// <summary>Interface and method name, for logs and metrics.</summary>
    public string Name { get; }

    /// <summary>Queues a call and returns what the interface method returns to the caller (a Task or a ValueTask).</summary>
    public abstract object Call(IGrainCallRouter router, GrainId target, object?[]? arguments);

    /// <summary>
    /// Queues a call that arrived over the wire and returns its result as JSON (null for methods without one).
    /// <paramref name="forwarded"/> marks it for the router as one that must not be sent on again.
    /// </summary>
    public abstract Task<JsonElement?> CallRemoteAsync(IGrainCallRouter router, GrainId target, object?[] arguments, JsonSerializerOptions json, bool forwarded);

    /// <summary>Turns wire arguments back into the method's parameter types.</summary>
    public object?[] ReadArguments(IReadOnlyList<JsonElement> arguments, JsonSerializerOptions json)
    {
        var parameters = Method.GetParameters();
        if (arguments.Count != parameters.Length)
        {
            throw new ArgumentException($"{Name} takes {parameters.Length} arguments; the request has {arguments.Count}.", nameof(arguments));
        }

        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            values[i] = arguments[i].Deserialize(parameters[i].ParameterType, json);
        }

        return values;
    }

    /// <summary>Turns arguments into wire form, each serialized as its declared parameter type.</summary>
    public JsonElement[] WriteArguments(object?[]? arguments, JsonSerializerOptions json)
    {
        var parameters = Method.GetParameters();
        var values = new JsonElement[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            values[i] = JsonSerializer.SerializeToElement(arguments![i], parameters[i].ParameterType, json);
        }

        return values;
    }

    /// <summary>The result type carried for this method (object for methods without one).</summary>
    public abstract Type ResultType { get; }

    public static GrainMethod Create(MethodInfo method)
    {
        var returnType = method.ReturnType;
        var (resultType, shape) = returnType switch
        {
            _ when returnType == typeof(Task) => (typeof(object), ReturnShape.Task),
            _ when returnType == typeof(ValueTask) => (typeof(object), ReturnShape.ValueTask),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(Task<>) => (returnType.GetGenericArguments()[0], ReturnShape.TaskOfT),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(ValueTask<>) => (returnType.GetGenericArguments()[0], ReturnShape.ValueTaskOfT),
            _ => throw new InvalidOperationException(
                $"Grain method {method.DeclaringType!.FullName}.{method.Name} returns {returnType.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>."),
        };
        var closedType = typeof(GrainMethod<>).MakeGenericType(resultType);
        return (GrainMethod)Activator.CreateInstance(closedType, method, shape)!;
    }
}

internal enum ReturnShape
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

internal sealed class GrainMethod<TResult> : GrainMethod
{
    private readonly ReturnShape _shape;
    private readonly Func<object, object?[]?, Task<TResult>> _invoke;

    public GrainMethod(MethodInfo method, ReturnShape shape) : base(method)
    {
        _shape = shape;
        _invoke = CompileInvoker(method, shape);
    }

    public override object Call(IGrainCallRouter router, GrainId target, object?[]? arguments)
    {
        var call = new GrainCall<TResult>(this, arguments);
        router.Send(target, call);
        return _shape switch
        {
            ReturnShape.ValueTask => new ValueTask(call.Task),
            ReturnShape.ValueTaskOfT => new ValueTask<TResult>(call.Task),
            _ => call.Task,
        };
    }

    public Task<TResult> Invoke(object grain, object?[]? arguments) => _invoke(grain, arguments);

    public override Type ResultType => typeof(TResult);

    public override async Task<JsonElement?> CallRemoteAsync(IGrainCallRouter router, GrainId target, object?[] arguments, JsonSerializerOptions json, bool forwarded)
    {
        var call = new GrainCall<TResult>(this, arguments) { Forwarded = forwarded };
        router.Send(target, call);
        var result = await call.Task.ConfigureAwait(false);
        return typeof(TResult) == typeof(object) && result is null ? null : JsonSerializer.SerializeToElement(result, json);
    }

    // Builds (grain, args) => ((IFoo)grain).Method((T0)args[0], ...) adapted to Task<TResult>.
    private static Func<object, object?[]?, Task<TResult>> CompileInvoker(MethodInfo method, ReturnShape shape)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters();
        var arguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), parameters[i].ParameterType);
        }

        Expression call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, arguments);
        call = shape switch
        {
            ReturnShape.Task => Expression.Call(typeof(ResultAdapters).GetMethod(nameof(ResultAdapters.FromTask))!, call),
            ReturnShape.ValueTask => Expression.Call(typeof(ResultAdapters).GetMethod(nameof(ResultAdapters.FromValueTask))!, call),
            ReturnShape.ValueTaskOfT => Expression.Call(call, typeof(ValueTask<TResult>).GetMethod(nameof(ValueTask<TResult>.AsTask))!),
            _ => call,
        };
        return Expression.Lambda<Func<object, object?[]?, Task<TResult>>>(call, grain, args).Compile();
    }
}

/// <summary>Adapts result-less grain methods to the Task&lt;object?&gt; the call path carries.</summary>
internal static class ResultAdapters
{
    private static readonly Task<object?> s_completed = Task.FromResult<object?>(null);

    public static Task<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? s_completed : AwaitTask(task);

    public static Task<object?> FromValueTask(ValueTask task) =>
        task.IsCompletedSuccessfully ? s_completed : AwaitTask(task.AsTask());

    private static async Task<object?> AwaitTask(Task task)
    {
        await task;
        return null;
    }
}
