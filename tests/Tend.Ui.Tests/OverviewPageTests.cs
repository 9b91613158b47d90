using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>Opens the web UI of a served quickstart in Debian's Chromium.</summary>
public class OverviewPageTests
{
    [Fact]
    public async Task Overview_ShowsTheChampionsVersionAndMetric_WithItsStyles()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-").FullName, "qs");
        var (tend, summary) = await TendProcess.StartAsync("quickstart", "--dir", dir);
        await using (tend)
        {
            Assert.True(summary.GetProperty("serving").GetBoolean(), summary.ToString());
            var url = summary.GetProperty("url").GetString()!;
            var retrain = summary.GetProperty("stages").EnumerateArray().Last().GetProperty("summary").GetString()!;
            var champion = retrain.Contains("v2 promoted", StringComparison.Ordinal) ? 2 : 1;

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await browser.NewPageAsync();
            var response = await page.GotoAsync(url + "/");
            Assert.Equal(200, response!.Status);

            Assert.Equal($"spam v{champion}", await page.Locator("[data-testid=champion-version]").InnerTextAsync());
            var metric = await page.Locator("[data-testid=champion-metric]").InnerTextAsync();
            Assert.Matches(@"^auc 0\.9\d+$", metric);
            Assert.Contains("Dataset drift detected", await page.Locator("[data-testid=drift-verdict]").InnerTextAsync());
            // Radzen's stylesheet is served locally and applied: a card gets its background, not the browser default.
            var background = await page.Locator("[data-testid=champion]").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
            Assert.NotEqual("rgba(0, 0, 0, 0)", background);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-overview.png"), FullPage = true });
        }
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }
}
