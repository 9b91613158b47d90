using Microsoft.Playwright;

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
}
