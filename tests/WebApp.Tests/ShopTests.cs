using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Payments.WebApp.Tests;

/// <summary>The shop in a real browser.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ShopTests(WebAppFixture app)
{
    [Fact]
    public async Task A_product_bought_with_the_wallet_is_fulfilled_and_its_history_line_leads_back_to_the_order()
    {
        var page = await app.NewPageAsync();
        var username = People.NewUsername("shopper");
        await People.SignUpAsync(page, username);
        await People.AddMoneyAsync(page, "50", "$50.00");
        var name = $"Guide for {username}";
        await Merchants.ProductAsync(app, People.NewUsername("seller"), 1299, name);

        await page.GetByRole(AriaRole.Link, new() { Name = "Shop" }).ClickAsync();
        await page.GetByLabel("Search products").FillAsync(name);
        var tile = page.GetByRole(AriaRole.Listitem).Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = name }) });
        await Expect(tile).ToContainTextAsync("10 left");
        await tile.GetByRole(AriaRole.Button, new() { Name = "Buy" }).ClickAsync();

        // The order page follows the saga until it ends.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Order", Exact = true })).ToBeVisibleAsync();
        var order = page.Url;
        await Expect(page.GetByText("Status:")).ToContainTextAsync("fulfilled");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Order steps" })).ToContainTextAsync("capture payment");
        var ledger = page.GetByRole(AriaRole.List, new() { Name = "Ledger transactions" });
        await Expect(ledger).ToContainTextAsync("capture");
        await Expect(ledger).ToContainTextAsync("$12.99");

        await page.GetByRole(AriaRole.Link, new() { Name = "Wallet" }).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("$37.01");
        await page.GetByRole(AriaRole.Link, new() { Name = "view order" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(order);
        await Expect(page.GetByText("Status:")).ToContainTextAsync("fulfilled");
    }
}
