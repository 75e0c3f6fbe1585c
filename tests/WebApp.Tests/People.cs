using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Payments.WebApp.Tests;

/// <summary>What a person does in the web app, step by step, as they would: by labels and button names.</summary>
public static class People
{
    public const string Password = "violet-harbor-lantern-73";

    private static int s_next;

    /// <summary>A username no other test uses.</summary>
    public static string NewUsername(string name) => $"{name}_{Environment.ProcessId % 10_000}_{Interlocked.Increment(ref s_next)}";

    public static async Task SignUpAsync(IPage page, string username)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "New here? Create an account" }).ClickAsync();
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Display name").FillAsync("Person " + username);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToBeVisibleAsync();
    }

    public static ILocator Form(IPage page, string name) => page.GetByRole(AriaRole.Form, new() { Name = name });

    public static async Task AddMoneyAsync(IPage page, string amount, string expectedBalance)
    {
        var form = Form(page, "Add or cash out money");
        await form.GetByLabel("Amount (USD)").FillAsync(amount);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add money" }).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync(expectedBalance);
    }

    public static async Task FillSendAsync(IPage page, string to, string amount, string note)
    {
        var form = Form(page, "Send money");
        await form.GetByLabel("To (username)").FillAsync(to);
        await form.GetByLabel("Amount (USD)").FillAsync(amount);
        await form.GetByLabel("Note").FillAsync(note);
    }

    public static ILocator SendButton(IPage page) => Form(page, "Send money").GetByRole(AriaRole.Button, new() { Name = "Send" });
}
