namespace Payments.Tests;

/// <summary>A <see cref="SiloTest"/> with an HTTP client of the silo's REST API.</summary>
public abstract class ApiTest(string purpose) : SiloTest(purpose)
{
    protected ApiClient Api { get; private set; } = null!;

    private HttpClient _http = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _http = Silo.CreateClient();
        Api = new ApiClient(_http);
    }

    public override async Task DisposeAsync()
    {
        _http.Dispose();
        await base.DisposeAsync();
    }
}
