using Microsoft.Playwright;
using Payments.TestSupport;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Payments.WebApp.Tests;

/// <summary>The wallet app in a real browser: sign-up, funding, sending with live toasts, idempotent sends, requests.</summary>
[Collection(WebAppCollection.Name)]
public sealed class WalletAppTests(WebAppFixture app)
{
    [Fact]
    public async Task A_payment_shows_on_the_receivers_open_page_as_a_toast_and_a_new_balance_without_a_reload()
    {
        var alice = await app.NewPageAsync();
        var bob = await app.NewPageAsync();
        var (aliceName, bobName) = (People.NewUsername("alice"), People.NewUsername("bob"));
        await People.SignUpAsync(alice, aliceName);
        await People.SignUpAsync(bob, bobName);
        await Expect(bob.GetByTestId("balance")).ToHaveTextAsync("$0.00");

        await People.AddMoneyAsync(alice, "100", "$100.00");
        await People.FillSendAsync(alice, bobName, "12.34", "lunch");
        await People.SendButton(alice).ClickAsync();
        await Expect(alice.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sent" })).ToContainTextAsync("Sent $12.34");
        await Expect(alice.GetByTestId("balance")).ToHaveTextAsync("$87.66");

        // Bob's page was open all along: the WebSocket brings the toast, and the balance follows.
        await Expect(bob.GetByTestId("toast").Filter(new() { HasText = "You received" })).ToContainTextAsync("You received $12.34 for “lunch”");
        await Expect(bob.GetByTestId("balance")).ToHaveTextAsync("$12.34");
        await Expect(bob.GetByRole(AriaRole.List, new() { Name = "Wallet history" })).ToContainTextAsync("$12.34");

        // The session survives a reload, and it lives in an HttpOnly cookie: no script can read it, no token is in storage.
        await bob.ReloadAsync();
        await Expect(bob.GetByTestId("balance")).ToHaveTextAsync("$12.34");
        var cookies = await bob.Context.CookiesAsync();
        var session = Assert.Single(cookies, cookie => cookie.Name == "payments_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain("payments_session", await bob.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);
        Assert.Equal(0, await bob.EvaluateAsync<int>("localStorage.length + sessionStorage.length"));
    }

    [Fact]
    public async Task A_double_clicked_send_and_a_retry_after_a_lost_answer_each_pay_once()
    {
        var payer = await app.NewPageAsync();
        var (payerName, payeeName) = (People.NewUsername("payer"), People.NewUsername("payee"));
        var payee = await app.NewPageAsync();
        await People.SignUpAsync(payee, payeeName);
        await People.SignUpAsync(payer, payerName);
        await People.AddMoneyAsync(payer, "50", "$50.00");

        await People.FillSendAsync(payer, payeeName, "5", "double");
        await People.SendButton(payer).DblClickAsync();
        await Expect(payer.GetByTestId("balance")).ToHaveTextAsync("$45.00");

        // The server applies the next send but its answer never reaches the page: the person sees a network error
        // and presses Send again, which repeats the same idempotency key.
        await People.FillSendAsync(payer, payeeName, "7", "retry");
        var lost = 0;
        await payer.RouteAsync("**/v1/transfers", async route =>
        {
            if (Interlocked.Increment(ref lost) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
                return;
            }

            await route.ContinueAsync();
        });
        await People.SendButton(payer).ClickAsync();
        await Expect(People.Form(payer, "Send money").GetByRole(AriaRole.Alert)).ToContainTextAsync("you will not pay twice");
        await People.SendButton(payer).ClickAsync();
        await Expect(payer.GetByRole(AriaRole.Status).Filter(new() { HasText = "Sent" })).ToContainTextAsync("Sent $7.00");
        await Expect(payer.GetByTestId("balance")).ToHaveTextAsync("$38.00");

        var token = await app.TokenAsync(payerName);
        var (_, history) = await app.CallAsync(HttpMethod.Get, "/v1/wallet/transactions?limit=100", token);
        var sent = history!["data"]!.AsArray().Where(entry => entry!["amount"]!.GetValue<long>() < 0).Select(entry => entry!["amount"]!.GetValue<long>()).ToArray();
        Assert.Equal([-700L, -500L], sent);
        var (_, payeeWallet) = await app.CallAsync(HttpMethod.Get, "/v1/wallet", await app.TokenAsync(payeeName));
        Assert.Equal(1200, payeeWallet!["balance"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_request_is_paid_from_the_requestees_page()
    {
        var asker = await app.NewPageAsync();
        var payer = await app.NewPageAsync(phone: true);
        var (askerName, payerName) = (People.NewUsername("asker"), People.NewUsername("pays"));
        await People.SignUpAsync(asker, askerName);
        await People.SignUpAsync(payer, payerName);
        await People.AddMoneyAsync(payer, "20", "$20.00");

        var request = People.Form(asker, "Request money");
        await request.GetByLabel("From (username)").FillAsync(payerName);
        await request.GetByLabel("Amount (USD)").FillAsync("5.25");
        await request.GetByLabel("What for").FillAsync("tickets");
        await request.GetByRole(AriaRole.Button, new() { Name = "Request" }).ClickAsync();
        await Expect(asker.GetByRole(AriaRole.List, new() { Name = "Your open requests" })).ToContainTextAsync("$5.25");

        var toPay = payer.GetByRole(AriaRole.List, new() { Name = "Requests to pay" });
        await Expect(toPay).ToContainTextAsync("tickets");
        await toPay.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await Expect(payer.GetByTestId("balance")).ToHaveTextAsync("$14.75");
        await Expect(asker.GetByTestId("balance")).ToHaveTextAsync("$5.25");
        await Expect(asker.GetByText("No open requests.")).ToBeVisibleAsync();
    }


    [Fact]
    public async Task A_page_whose_socket_was_down_catches_up_when_it_reconnects()
    {
        var sender = await app.NewPageAsync();
        var receiver = await app.NewPageAsync(phone: true);
        var (senderName, receiverName) = (People.NewUsername("sender"), People.NewUsername("offline"));

        // The receiver's notification socket goes through the test: connected to the server, or refused while "down".
        var down = false;
        IWebSocketRoute? current = null;
        await receiver.RouteWebSocketAsync("**/v1/notifications/ws", socket =>
        {
            if (Volatile.Read(ref down))
            {
                _ = socket.CloseAsync();
                return;
            }

            current = socket;
            socket.ConnectToServer();
        });
        await People.SignUpAsync(sender, senderName);
        await People.SignUpAsync(receiver, receiverName);
        await People.AddMoneyAsync(sender, "30", "$30.00");
        await Eventually.TrueAsync(() => Task.FromResult(current is not null), TimeSpan.FromSeconds(20), "the page opens its notification socket");

        Volatile.Write(ref down, true);
        await current!.CloseAsync();
        await People.FillSendAsync(sender, receiverName, "3.21", "while you were away");
        await People.SendButton(sender).ClickAsync();
        await Expect(sender.GetByTestId("balance")).ToHaveTextAsync("$26.79");

        // No socket was open when the payment was pushed; the app reads the inbox when it tries again.
        Volatile.Write(ref down, false);
        await Expect(receiver.GetByTestId("toast").Filter(new() { HasText = "You received" }))
            .ToContainTextAsync("You received $3.21 for “while you were away”", new() { Timeout = 60_000 });
        await Expect(receiver.GetByTestId("balance")).ToHaveTextAsync("$3.21", new() { Timeout = 30_000 });
    }
}
