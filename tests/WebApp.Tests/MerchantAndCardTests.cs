using Microsoft.Playwright;
using Payments.Grains.CardNetworks;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Payments.WebApp.Tests;

/// <summary>The merchant dashboard and the card wallet in a real browser.</summary>
[Collection(WebAppCollection.Name)]
public sealed class MerchantAndCardTests(WebAppFixture app)
{
    [Fact]
    public async Task A_test_payment_shows_in_the_dashboard_and_half_of_it_is_refunded_from_its_detail()
    {
        var owner = await app.NewPageAsync();
        var ownerName = People.NewUsername("owner");
        await People.SignUpAsync(owner, ownerName);
        var merchant = await Merchants.CreateInBrowserAsync(owner, "Corner Bakery");
        var apiKey = await Merchants.ApiKeyAsync(app, await app.TokenAsync(ownerName), merchant);
        var (status, payment) = await app.CallAsync(HttpMethod.Post, "/v1/payments", apiKey, Merchants.CardPayment(2000, "Birthday cake"), idempotent: true);
        Assert.Equal(201, status);

        // The dashboard was open before the payment came in: the owner refreshes it.
        await owner.ReloadAsync();
        var row = owner.Locator($"tr[data-payment='{payment!["id"]!.GetValue<string>()}']");
        await Expect(row).ToContainTextAsync("$20.00");
        await Expect(row).ToContainTextAsync("succeeded");
        await row.GetByRole(AriaRole.Link, new() { Name = "Birthday cake" }).ClickAsync();

        await owner.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
        var dialog = owner.GetByRole(AriaRole.Dialog, new() { Name = "Refund payment" });
        await dialog.GetByLabel("Amount (USD, up to $20.00)").FillAsync("10.00");
        await dialog.GetByLabel("Reason (optional)").FillAsync("half eaten");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();

        await Expect(owner.GetByTestId("refunded")).ToHaveTextAsync("$10.00");
        await Expect(owner.GetByRole(AriaRole.List, new() { Name = "Refunds" })).ToContainTextAsync("half eaten");
        await Expect(owner.GetByRole(AriaRole.List, new() { Name = "Payment events" })).ToContainTextAsync("refunded");
    }

    [Fact]
    public async Task A_card_added_with_a_code_then_suspended_can_no_longer_pay()
    {
        var page = await app.NewPageAsync();
        var username = People.NewUsername("carder");
        await People.SignUpAsync(page, username);
        await page.GetByRole(AriaRole.Link, new() { Name = "Cards" }).ClickAsync();

        var device = People.Form(page, "Add a device");
        await device.GetByLabel("Device name").FillAsync("My phone");
        await device.GetByRole(AriaRole.Button, new() { Name = "Add device" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Your devices" })).ToContainTextAsync("My phone");

        var card = People.Form(page, "Add a card");
        await Expect(card.GetByLabel("Device")).ToContainTextAsync("My phone");
        await card.GetByLabel("Card number").FillAsync("4000 0000 0000 3220");
        await card.GetByLabel("Expiry (MM/YY)").FillAsync("12/30");
        await card.GetByLabel("Security code").FillAsync("123");
        await card.GetByLabel("Name on card").FillAsync("Card Holder");
        await card.GetByRole(AriaRole.Button, new() { Name = "Add card" }).ClickAsync();
        await Expect(page.GetByText("Your bank wants to check it is you")).ToBeVisibleAsync();

        // The simulated network "sent" the code; read it from its records as the person would read their SMS.
        var token = await app.TokenAsync(username);
        var (_, cards) = await app.CallAsync(HttpMethod.Get, "/v1/cards", token);
        var pending = cards!["data"]!.AsArray().Single()!;
        var code = await SimulatedCardNetwork.SentCodeAsync(app.Database, pending["tokenReference"]!.GetValue<string>());
        Assert.NotNull(code);
        var notice = page.Locator(".notice");
        await notice.GetByLabel("Verification code").FillAsync(code!);
        await notice.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        var listed = page.GetByRole(AriaRole.List, new() { Name = "Your cards" });
        await Expect(listed).ToContainTextAsync("visa •••• 3220");
        await Expect(listed).ToContainTextAsync("active");
        await listed.GetByRole(AriaRole.Button, new() { Name = "Suspend" }).ClickAsync();
        await Expect(listed).ToContainTextAsync("suspended");
        await Expect(listed.GetByRole(AriaRole.Button, new() { Name = "Reactivate" })).ToBeVisibleAsync();

        // A suspended card pays for nothing: an order with it is refused and nothing is charged.
        var product = await Merchants.ProductAsync(app, People.NewUsername("seller"), 1500);
        var cardId = pending["id"]!.GetValue<string>();
        var (status, refused) = await app.CallAsync(HttpMethod.Post, "/v1/orders", token,
            new { items = new[] { new { product, quantity = 1 } }, paymentMethod = new { type = "card", card = cardId } }, idempotent: true);
        Assert.Equal((409, "CARD_STATUS_CONFLICT"), (status, refused!["code"]!.GetValue<string>()));
        var (_, transactions) = await app.CallAsync(HttpMethod.Get, $"/v1/cards/{cardId}/transactions", token);
        Assert.Empty(transactions!["data"]!.AsArray());
    }
}
