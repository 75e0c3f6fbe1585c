using Payments.Infrastructure.References;
using Payments.Infrastructure.Tests.Grains;
using Payments.Infrastructure.Tests.Infrastructure;
using Payments.TestSupport;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>References made from the cached grain and interface types are the ones Orleans makes, and reach their grains.</summary>
public sealed class GrainReferenceCacheTests
{
    [Fact]
    public async Task A_cached_reference_has_the_grain_id_and_interface_Orleans_gives_and_reaches_the_grain()
    {
        await using var silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("grain_references"));
        var grains = silo.GrainFactory;
        foreach (var key in new[] { "alice", "alice/key-1", "bob/key-2" })
        {
            var expected = grains.GetGrain<IKeyEchoGrain>(key);
            // The first reference of the run resolves the types through Orleans; every later one comes from the cache.
            foreach (var reference in new[] { grains.Reference<IKeyEchoGrain>(key), grains.Reference<IKeyEchoGrain>(key) })
            {
                Assert.Equal(expected.GetGrainId(), reference.GetGrainId());
                Assert.Equal(((GrainReference)expected).InterfaceType, ((GrainReference)reference).InterfaceType);
                Assert.Equal(key, await reference.Key());
            }
        }

        // Each interface keeps its own types: the same key names another grain through another interface.
        var user = grains.Reference<IOtherKeyEchoGrain>("alice");
        Assert.Equal(grains.GetGrain<IOtherKeyEchoGrain>("alice").GetGrainId(), user.GetGrainId());
        Assert.NotEqual(grains.Reference<IKeyEchoGrain>("alice").GetGrainId(), user.GetGrainId());
        Assert.Equal("other:alice", await user.Key());
        Assert.Throws<ArgumentException>(() => grains.Reference<IOtherKeyEchoGrain>(" "));
    }
}
