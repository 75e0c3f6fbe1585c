using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Tests;

/// <summary>A test class with its own database, an in-process silo and an HTTP client of its REST API.</summary>
public abstract class ApiTest(string purpose) : IAsyncLifetime
{
    protected InProcessSilo Silo { get; private set; } = null!;

    protected ApiClient Api { get; private set; } = null!;

    private HttpClient _http = null!;

    /// <summary>Configuration the test class's silo starts with (e.g. a short payment request expiry).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        Silo = await InProcessSilo.StartAsync(await TestPostgres.CreateDatabaseAsync(purpose), Settings);
        _http = Silo.CreateClient();
        Api = new ApiClient(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Silo.DisposeAsync();
    }
}
