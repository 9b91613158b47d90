using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>Debian's Chromium, headless, driven by Playwright (its own browser download is never used).</summary>
internal static class Browser
{
    private const string Chromium = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

    /// <summary>A page signed in to the server at <paramref name="url"/> through its sign-in form, with <paramref name="token"/> (the tests' admin's by default).</summary>
    public static async Task<IPage> SignedInAsync(IBrowser browser, string url, string token = TendProcess.AdminToken)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(url + "/signin");
        await page.FillAsync("#token", token);
        await page.ClickAsync("[data-testid=signin] button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal));
        return page;
    }
}
