using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Payments.TestSupport;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Payments.WebApp.Tests;

/// <summary>
/// Every page of the app, filled with data, on a desktop and on a phone (375 px), passes axe-core's WCAG 2.1 A/AA rules.
/// With PAYMENTS_SCREENSHOTS=1 the same walk saves the screenshots in docs/screenshots.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class AccessibilityTests(WebAppFixture app)
{
    [Fact]
    public async Task Every_page_passes_the_accessibility_check_on_a_desktop_and_on_a_phone()
    {
        var pages = await SceneAsync();
        var violations = new List<string>();
        foreach (var phone in new[] { false, true })
        {
            var page = await app.NewPageAsync(phone);
            await CheckAsync(page, "/", "sign-in", phone, violations, ready: "Sign in");
            await page.GetByLabel("Username").FillAsync(pages.Username);
            await page.GetByLabel("Password").FillAsync(People.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("balance")).ToBeVisibleAsync();
            foreach (var (path, name, ready) in pages.Paths)
            {
                await CheckAsync(page, path, name, phone, violations, ready);
            }

            await page.Context.CloseAsync();
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    private static async Task CheckAsync(IPage page, string path, string name, bool phone, List<string> violations, string ready)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByText(ready).First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Passes.Length > 10, $"axe checked little on {name}: is the page empty?");
        violations.AddRange(result.Violations.Select(violation =>
            $"{name} ({(phone ? "phone" : "desktop")}): {violation.Id} — {violation.Help}: {string.Join("; ", violation.Nodes.Select(node => node.Html).Take(3))}"));

        if (Environment.GetEnvironmentVariable("PAYMENTS_SCREENSHOTS") == "1")
        {
            var folder = Path.Combine(RepositoryRoot.Path, "docs", "screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{(phone ? "phone" : "desktop")}.png"), FullPage = !phone });
        }
    }

    // A person with money, history, a card, requests, a merchant with a payment, a product and an order.
    private async Task<Scene> SceneAsync()
    {
        var username = People.NewUsername("tour");
        var friendName = People.NewUsername("friend");
        var page = await app.NewPageAsync();
        var friend = await app.NewPageAsync();
        await People.SignUpAsync(friend, friendName);
        await People.SignUpAsync(page, username);
        await People.AddMoneyAsync(page, "250", "$250.00");
        await People.FillSendAsync(page, friendName, "18.50", "pizza night");
        await People.SendButton(page).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("$231.50");
        var token = await app.TokenAsync(username);
        await app.CallAsync(HttpMethod.Post, "/v1/requests", await app.TokenAsync(friendName), new { from = username, amount = 1200, note = "concert tickets" });
        var (_, device) = await app.CallAsync(HttpMethod.Post, "/v1/devices", token, new { name = "Work phone", platform = "android" });
        await app.CallAsync(HttpMethod.Post, "/v1/cards", token, new
        {
            deviceId = device!["id"]!.GetValue<string>(), number = "4242424242424242", expMonth = 11, expYear = 2031, cvc = "321", cardholderName = "Tour Person",
        }, idempotent: true);

        var merchant = await Merchants.CreateInBrowserAsync(page, "Tour Coffee");
        var apiKey = await Merchants.ApiKeyAsync(app, token, merchant);
        var (_, payment) = await app.CallAsync(HttpMethod.Post, "/v1/payments", apiKey, Merchants.CardPayment(4250, "Espresso beans"), idempotent: true);
        await app.CallAsync(HttpMethod.Post, "/v1/payments", apiKey, Merchants.CardPayment(990, "Croissant"), idempotent: true);
        var (_, product) = await app.CallAsync(HttpMethod.Post, $"/v1/products?merchant={merchant}", token,
            new { name = "Brewing guide", description = "An e-book about coffee", price = 1299, currency = "USD", units = 25 });
        var (_, order) = await app.CallAsync(HttpMethod.Post, "/v1/orders", token,
            new { items = new[] { new { product = product!["id"]!.GetValue<string>(), quantity = 1 } }, paymentMethod = new { type = "wallet" } }, idempotent: true);
        await app.CallAsync(HttpMethod.Post, "/v1/webhook_endpoints?merchant=" + merchant, token, new { url = "http://127.0.0.1:9/hooks", enabledEvents = s_allEvents });
        await page.Context.CloseAsync();
        await friend.Context.CloseAsync();

        var dashboard = $"/merchant/{merchant}";
        return new Scene(username,
        [
            ("/", "wallet", "History"),
            ("/feed", "feed", "Feed"),
            ("/friends", "friends", "Find people"),
            ("/cards", "cards", "Your cards"),
            ("/shop", "shop", "Brewing guide"),
            ($"/orders/{order!["id"]!.GetValue<string>()}", "order", "Status"),
            ("/merchant", "merchants", "Your businesses"),
            ($"{dashboard}/payments", "dashboard-payments", "Espresso beans"),
            ($"{dashboard}/payments/{payment!["id"]!.GetValue<string>()}", "dashboard-payment", "Timeline"),
            ($"{dashboard}/analytics", "dashboard-analytics", "Volume per day"),
            ($"{dashboard}/products", "dashboard-products", "Brewing guide"),
            ($"{dashboard}/orders", "dashboard-orders", "Brewing guide"),
            ($"{dashboard}/balance", "dashboard-balance", "Payouts"),
            ($"{dashboard}/keys", "dashboard-keys", "API keys"),
            ($"{dashboard}/webhooks", "dashboard-webhooks", "127.0.0.1:9"),
        ]);
    }

    private static readonly string[] s_allEvents = ["*"];

    private sealed record Scene(string Username, IReadOnlyList<(string Path, string Name, string Ready)> Paths);
}
