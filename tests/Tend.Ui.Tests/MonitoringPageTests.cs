using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>The monitoring page in Chromium: drift per column over reports (heatmap), performance with intervals, quality, alerts.</summary>
public class MonitoringPageTests
{
    [Fact]
    public async Task MonitoringPage_ShowsDriftOverTime_Performance_Quality_AndAlerts()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-monitoring-").FullName, "qs");
        var (tend, summary) = await TendProcess.StartAsync("quickstart", "--dir", dir);
        await using (tend)
        {
            var url = summary.GetProperty("url").GetString()!;
            // A second report, on the last 500 requests, with an alert rule on dataset drift.
            var yaml = Path.Combine(dir, "tend.yaml");
            File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("\nmonitor:\n", "\nmonitor:\n  alerts:\n    - name: drift\n      when: dataset_drift\n      severity: critical\n"));
            await TendProcess.RunAsync("monitor", "run", "--current", "last:500", "--workspace", dir);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            await page.GotoAsync(url + "/");
            await page.Locator("[data-testid=monitoring-link]").ClickAsync();
            await page.WaitForURLAsync("**/monitoring");

            var heatmap = page.Locator("[data-testid=drift-heatmap]");
            Assert.Equal(3, await heatmap.Locator("thead th").CountAsync()); // the column names and two reports
            Assert.Equal("(model output)", await heatmap.Locator("tbody tr").First.Locator("td").First.InnerTextAsync());
            Assert.True(await heatmap.Locator("td[data-drifted=yes]").CountAsync() >= 2);
            Assert.Equal(58, await heatmap.Locator("tbody tr").CountAsync()); // 57 features and the model's output

            Assert.Equal(2, await page.Locator("[data-testid=performance] tbody tr").CountAsync());
            Assert.Equal(2, await page.Locator("[data-testid=performance-chart] circle").CountAsync());
            Assert.StartsWith("live auc with 95 % intervals", await page.Locator("[data-testid=performance-chart] > text").First.TextContentAsync() ?? "");
            Assert.Contains("refused", await page.Locator("[data-testid=quality]").InnerTextAsync());
            var alert = page.Locator("[data-testid=alerts] tbody tr");
            Assert.Equal(1, await alert.CountAsync());
            Assert.Contains("drift", await alert.InnerTextAsync());
            Assert.Equal("yes", await alert.GetAttributeAsync("data-open"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-monitoring.png"), FullPage = true });
        }
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }
}
