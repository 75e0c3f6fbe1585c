using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;
using Orleans.Serialization.Serializers;
using Payments.Grains.Interfaces;
using Payments.Grains.Wallets;
using Payments.Infrastructure.Streams;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>
/// A type without [GenerateSerializer] gives no build warning: the first call of any method of an interface that uses
/// it fails at run time with CodecNotFoundException. These tests find every contract type (the [GenerateSerializer]
/// types of the project's assemblies, and every parameter and return type of every grain interface) and ask the
/// serializer of a silo configured as Silo/Hosting/SiloHostingExtensions.cs configures it, and of a client configured
/// as the separate front end's, for a codec and a copier, then round-trip a sample of each.
/// </summary>
public sealed class SerializerCoverageTests : IDisposable
{
    private static readonly Assembly[] s_projectAssemblies =
    [
        typeof(PaymentsJson).Assembly,          // Payments.Grains.Interfaces
        typeof(WalletGrain).Assembly,           // Payments.Grains
        typeof(StreamEvent).Assembly,           // Payments.Infrastructure
    ];

    private readonly IHost _silo;
    private readonly IHost _client;

    public SerializerCoverageTests()
    {
        // Built, never started: the serializer needs no running silo, and no database is touched.
        var silo = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        silo.UseOrleans(builder =>
        {
            builder.UseLocalhostClustering(siloPort: LoopbackPort.Free(), gatewayPort: LoopbackPort.Free());
            builder.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
        });
        _silo = silo.Build();

        var client = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        client.UseOrleansClient(builder =>
        {
            builder.UseLocalhostClustering(gatewayPort: LoopbackPort.Free());
            builder.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
        });
        _client = client.Build();
    }

    public void Dispose()
    {
        _silo.Dispose();
        _client.Dispose();
    }

    public static TheoryData<string> Hosts => ["silo", "client"];

    [Fact]
    public void The_check_finds_a_type_without_GenerateSerializer()
    {
        var codecs = _silo.Services.GetRequiredService<ICodecProvider>();
        Assert.Null(codecs.TryGetCodec<NotSerializable>());
        Assert.Contains(Problems(_silo.Services, typeof(NotSerializable)), problem => problem.Contains("no codec", StringComparison.Ordinal));
        Assert.NotEmpty(Problems(_silo.Services, typeof(List<NotSerializable>)));
        Assert.NotEmpty(Problems(_silo.Services, typeof(HasUnserializableMember)));
        Assert.Throws<CodecNotFoundException>(() => _silo.Services.GetRequiredService<Serializer>().SerializeToArray<object>(new NotSerializable(1)));
    }

    [Fact]
    public void The_project_has_grain_interfaces_and_contracts_to_check()
    {
        Assert.True(GrainInterfaces().Count() >= 10, string.Join(", ", GrainInterfaces()));
        Assert.Contains(typeof(Payments.Grains.Interfaces.Wallets.IWalletGrain), GrainInterfaces());
        Assert.True(GeneratedSerializerTypes().Count() >= 30, string.Join(", ", GeneratedSerializerTypes()));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Every_grain_interface_has_generated_proxies(string host)
    {
        var manifest = Services(host).GetRequiredService<IOptions<TypeManifestOptions>>().Value;
        var missing = GrainInterfaces().Where(type => !manifest.Interfaces.Contains(type)).ToList();
        Assert.True(missing.Count == 0, $"No generated proxy for: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Every_type_a_grain_interface_sends_or_returns_has_a_codec_and_a_copier(string host)
    {
        var services = Services(host);
        var problems = GrainInterfaces()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(method => SignatureTypes(method).Select(type => (Method: $"{method.DeclaringType!.Name}.{method.Name}", Type: type)))
            .SelectMany(usage => Problems(services, usage.Type).Select(problem => $"{usage.Method}: {problem}"))
            .Distinct()
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // Orleans' own analysis of the same (it runs at start-up only in Development).
        var analysis = SerializerConfigurationAnalyzer.AnalyzeSerializerAvailability(
            services.GetRequiredService<ICodecProvider>(), services.GetRequiredService<IOptions<TypeManifestOptions>>().Value);
        var ours = analysis.Where(complaint => complaint.Value.Methods.Keys.Any(type => s_projectAssemblies.Contains(type.Assembly))).ToList();
        Assert.True(ours.Count == 0, string.Join("\n", ours.Select(complaint => $"{complaint.Key}: serializer {complaint.Value.HasSerializer}, copier {complaint.Value.HasCopier}")));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Every_GenerateSerializer_type_round_trips(string host)
    {
        var services = Services(host);
        var problems = GeneratedSerializerTypes().SelectMany(type => Problems(services, type)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Every_signature_type_round_trips_a_sample(string host)
    {
        var services = Services(host);
        var problems = GrainInterfaces()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(SignatureTypes)
            .Distinct()
            .SelectMany(type => RoundTripProblems(services, type))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private IServiceProvider Services(string host) => host == "silo" ? _silo.Services : _client.Services;

    /// <summary>Interfaces of grains in the project's assemblies (string, integer, Guid or compound keys).</summary>
    private static IEnumerable<Type> GrainInterfaces() => s_projectAssemblies
        .SelectMany(assembly => assembly.GetTypes())
        .Where(type => type.IsInterface && typeof(IGrain).IsAssignableFrom(type) && !type.ContainsGenericParameters)
        .OrderBy(type => type.FullName, StringComparer.Ordinal);

    private static IEnumerable<Type> GeneratedSerializerTypes() => s_projectAssemblies
        .SelectMany(assembly => assembly.GetTypes())
        .Where(type => type.GetCustomAttribute<GenerateSerializerAttribute>() is not null)
        .Select(type => type.IsGenericTypeDefinition ? type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(string)).ToArray()) : type)
        .OrderBy(type => type.FullName, StringComparer.Ordinal);

    /// <summary>The parameter types and the result type (inside Task/ValueTask) of a grain method.</summary>
    private static IEnumerable<Type> SignatureTypes(MethodInfo method)
    {
        var types = method.GetParameters().Select(parameter => parameter.ParameterType).ToList();
        var result = method.ReturnType;
        if (result.IsConstructedGenericType && (result.GetGenericTypeDefinition() == typeof(Task<>) || result.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            types.Add(result.GetGenericArguments()[0]);
        }
        else if (result != typeof(Task) && result != typeof(ValueTask) && result != typeof(void))
        {
            types.Add(result); // grain methods return Task or ValueTask; anything else is flagged by Problems
        }

        // A CancellationToken parameter is handled by the runtime, not serialized as a value.
        return types.Where(type => type != typeof(CancellationToken));
    }

    /// <summary>What is missing for <paramref name="type"/>: a codec or a copier, and the same for its generic arguments and array elements.</summary>
    private static List<string> Problems(IServiceProvider services, Type type)
    {
        var codecs = services.GetRequiredService<ICodecProvider>();
        var problems = new List<string>();
        foreach (var part in Parts(type).Distinct())
        {
            try
            {
                if (codecs.TryGetCodec(part) is null)
                {
                    problems.Add($"{Name(part)}: no codec");
                }
            }
            catch (Exception error)
            {
                problems.Add($"{Name(part)}: codec fails: {error.GetType().Name}: {error.Message}");
            }

            try
            {
                if (codecs.TryGetDeepCopier(part) is null)
                {
                    problems.Add($"{Name(part)}: no copier");
                }
            }
            catch (Exception error)
            {
                problems.Add($"{Name(part)}: copier fails: {error.GetType().Name}: {error.Message}");
            }
        }

        return problems.Count > 0 ? problems : RoundTripProblems(services, type);

        static IEnumerable<Type> Parts(Type type)
        {
            yield return type;
            var inner = type.IsArray ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
            foreach (var part in inner.SelectMany(Parts))
            {
                yield return part;
            }
        }
    }

    /// <summary>Serializes a sample as <c>object</c> (so its runtime type goes on the wire too), reads it back, and deep-copies it.</summary>
    private static List<string> RoundTripProblems(IServiceProvider services, Type type)
    {
        var sample = Samples.Create(type, depth: 0);
        if (sample is null)
        {
            return []; // an interface or abstract type without a concrete contract type to stand for it: codec checked only
        }

        try
        {
            var serializer = services.GetRequiredService<Serializer>();
            var bytes = serializer.SerializeToArray<object>(sample);
            var copy = serializer.Deserialize<object>(bytes);
            if (copy?.GetType() != sample.GetType())
            {
                return [$"{Name(type)}: a {Name(sample.GetType())} came back as {copy?.GetType().Name ?? "null"}"];
            }

            if (!serializer.SerializeToArray<object>(copy).AsSpan().SequenceEqual(bytes))
            {
                return [$"{Name(type)}: the round-tripped value serializes differently from the original"];
            }

            services.GetRequiredService<DeepCopier>().Copy<object>(sample);
            return [];
        }
        catch (Exception error)
        {
            return [$"{Name(type)}: round trip fails: {error.GetType().Name}: {error.Message}"];
        }
    }

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
        : type.FullName ?? type.Name;

    /// <summary>Sample values: the constructor with the most parameters filled with samples, else an uninitialized object.</summary>
    private static class Samples
    {
        public static object? Create(Type type, int depth)
        {
            if (depth > 6)
            {
                return type.IsValueType ? Activator.CreateInstance(type) : null;
            }

            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                return Create(underlying, depth + 1);
            }

            if (Simple(type) is { } simple)
            {
                return simple;
            }

            if (type.IsEnum)
            {
                var values = Enum.GetValues(type);
                return values.Length > 0 ? values.GetValue(values.Length - 1) : Activator.CreateInstance(type);
            }

            if (type.IsArray)
            {
                var array = Array.CreateInstance(type.GetElementType()!, 1);
                array.SetValue(Create(type.GetElementType()!, depth + 1), 0);
                return array;
            }

            if (type.IsGenericType && Collection(type, depth) is { } collection)
            {
                return collection;
            }

            if (type.IsInterface || type.IsAbstract)
            {
                // A contract base type: sample one of its [GenerateSerializer] subtypes.
                var concrete = type.Assembly.GetTypes().FirstOrDefault(candidate =>
                    !candidate.IsAbstract && !candidate.ContainsGenericParameters && type.IsAssignableFrom(candidate)
                    && candidate.GetCustomAttribute<GenerateSerializerAttribute>() is not null);
                return concrete is null ? null : Create(concrete, depth + 1);
            }

            foreach (var constructor in type.GetConstructors().OrderByDescending(constructor => constructor.GetParameters().Length))
            {
                try
                {
                    return constructor.Invoke(constructor.GetParameters().Select(parameter => Create(parameter.ParameterType, depth + 1)).ToArray());
                }
                catch (TargetInvocationException)
                {
                    // The constructor validates (a currency code, a positive amount): try the next, else the raw object.
                }
            }

            return type.IsValueType ? Activator.CreateInstance(type) : RuntimeHelpers.GetUninitializedObject(type);
        }

        private static object? Simple(Type type) => type switch
        {
            _ when type == typeof(string) => "USD",
            _ when type == typeof(bool) => true,
            _ when type == typeof(int) => 7,
            _ when type == typeof(long) => 1_234L,
            _ when type == typeof(short) => (short)3,
            _ when type == typeof(byte) => (byte)4,
            _ when type == typeof(uint) => 5u,
            _ when type == typeof(ulong) => 6ul,
            _ when type == typeof(double) => 1.5,
            _ when type == typeof(float) => 2.5f,
            _ when type == typeof(decimal) => 3.25m,
            _ when type == typeof(char) => 'x',
            _ when type == typeof(Guid) => new Guid("0190f3a2-7b4c-7d1e-8f00-123456789abc"),
            _ when type == typeof(DateTime) => new DateTime(2026, 12, 3, 10, 0, 0, DateTimeKind.Utc),
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero),
            _ when type == typeof(DateOnly) => new DateOnly(2026, 12, 3),
            _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(90),
            _ when type == typeof(byte[]) => new byte[] { 1, 2, 3 },
            _ when type == typeof(JsonElement) => JsonDocument.Parse("""{"amount":12,"note":"x"}""").RootElement.Clone(),
            _ when type == typeof(object) => "boxed",
            _ => null,
        };

        private static object? Collection(Type type, int depth)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (arguments.Length == 1 && (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(arguments))!;
                list.Add(Create(arguments[0], depth + 1));
                return list;
            }

            if (arguments.Length == 1 && (definition == typeof(HashSet<>) || definition == typeof(ISet<>) || definition == typeof(IReadOnlySet<>)))
            {
                var set = Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(arguments))!;
                set.GetType().GetMethod("Add")!.Invoke(set, [Create(arguments[0], depth + 1)]);
                return set;
            }

            if (arguments.Length == 2 && (definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>)))
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments))!;
                dictionary.Add(Create(arguments[0], depth + 1)!, Create(arguments[1], depth + 1));
                return dictionary;
            }

            return null;
        }
    }

    /// <summary>The pitfall: a record without [GenerateSerializer].</summary>
    public sealed record NotSerializable(int Value);

    [GenerateSerializer]
    public sealed record HasUnserializableMember(NotSerializable Inner);
}
