using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Payments.WebApp.Tests;

/// <summary>Merchant set-up: in the browser where the test is about it, through the API where it is only the scene.</summary>
public static class Merchants
{
    /// <summary>Creates a merchant on the Business page and opens its dashboard; answers its id.</summary>
    public static async Task<string> CreateInBrowserAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Business" }).ClickAsync();
        var form = People.Form(page, "Create a merchant");
        await form.GetByLabel("Business name").FillAsync(name);
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var link = page.GetByRole(AriaRole.Link, new() { Name = name });
        await link.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        return page.Url.Split('/')[4];
    }

    public static async Task<string> ApiKeyAsync(WebAppFixture app, string ownerToken, string merchant)
    {
        var (status, key) = await app.CallAsync(HttpMethod.Post, $"/v1/merchants/{merchant}/api_keys", ownerToken);
        return status == 201 ? key!["secret"]!.GetValue<string>() : throw new InvalidOperationException($"API key: {status} {key}");
    }

    /// <summary>A payment by Stripe's always-approved test card, captured at once.</summary>
    public static object CardPayment(long amount, string description) => new
    {
        amount,
        currency = "USD",
        description,
        paymentMethod = new { type = "card", number = "4242424242424242", expMonth = 12, expYear = 2030, cvc = "123" },
    };

    /// <summary>A new seller (signed up through the API) with a merchant and one product of 10 units; answers the product id.</summary>
    public static async Task<string> ProductAsync(WebAppFixture app, string seller, long price, string name = "E-book")
    {
        var (created, _) = await app.CallAsync(HttpMethod.Post, "/v1/users", null, new { username = seller, displayName = "Seller", password = People.Password });
        if (created != 201)
        {
            throw new InvalidOperationException($"Sign-up: {created}");
        }

        var token = await app.TokenAsync(seller);
        var (_, merchant) = await app.CallAsync(HttpMethod.Post, "/v1/merchants", token, new { name = "Seller shop", country = "US", defaultCurrency = "USD" });
        var merchantId = merchant!["id"]!.GetValue<string>();
        var (status, product) = await app.CallAsync(HttpMethod.Post, $"/v1/products?merchant={merchantId}", token,
            new { name, description = "A good read", price, currency = "USD", units = 10 });
        return status == 201 ? product!["id"]!.GetValue<string>() : throw new InvalidOperationException($"Product: {status} {product}");
    }
}
