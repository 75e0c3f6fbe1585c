using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using Payments.TestSupport;
using Xunit;

namespace Payments.WebApp.Tests;

/// <summary>
/// One silo (in this process, real HTTP, its own PostgreSQL database) serving the built web app, and one headless
/// Debian chromium driven by Playwright. Each test opens its own browser contexts (separate cookie jars = separate people).
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public InProcessSilo Silo { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public NpgsqlDataSource Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath();
        var connectionString = await TestPostgres.CreateDatabaseAsync("webapp");
        // Webhook endpoints on this machine (the dashboard's delivery log shows their failed attempts).
        Silo = await InProcessSilo.StartAsync(connectionString, new Dictionary<string, string?>
        {
            ["Payments:Webhooks:AllowPrivateTargets"] = "true",
            ["Payments:Webhooks:AllowHttp"] = "true",
        });
        Database = NpgsqlDataSource.Create(connectionString);
        Http = Silo.CreateClient();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // As root in a container there is no sandbox to use; the rest keeps chromium off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A new person: a browser context of their own (cookies, storage), desktop or phone sized.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Silo.BaseAddress.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 812 } : new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the API (a bearer token) as someone who signed up in the browser, to set up or check data.</summary>
    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/v1/sessions", new { username, password = People.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>An API call with a bearer token (a session's or an API key's; none for sign-up); answers the status and the JSON body.</summary>
    public async Task<(int Status, JsonNode? Body)> CallAsync(HttpMethod method, string path, string? token, object? body = null, bool idempotent = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotent)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }

    public async Task DisposeAsync()
    {
        // Only what InitializeAsync got to, when it failed part way.
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
    }

    private static string ChromiumPath()
    {
        var path = Environment.GetEnvironmentVariable("PAYMENTS_CHROMIUM") ?? "/usr/bin/chromium";
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"The browser tests drive Debian's chromium, not found at {path}: apt-get install chromium (.ci/run does), or set PAYMENTS_CHROMIUM.");
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}
