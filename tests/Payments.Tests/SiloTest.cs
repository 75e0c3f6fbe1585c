using Payments.TestSupport;
using Xunit;

namespace Payments.Tests;

/// <summary>A test class with its own database, an in-process silo and a client of its grains.</summary>
public abstract class SiloTest(string purpose) : IAsyncLifetime
{
    protected InProcessSilo Silo { get; private set; } = null!;

    /// <summary>Drives the domain through the grains, without HTTP.</summary>
    protected GrainClient Client { get; private set; } = null!;

    /// <summary>Configuration the test class's silo starts with (e.g. a short payment request expiry).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        Silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync(purpose), Settings, typeof(SiloTest).Assembly);
        Client = new GrainClient(Silo.GrainFactory);
    }

    public virtual async Task DisposeAsync() => await Silo.DisposeAsync();
}
