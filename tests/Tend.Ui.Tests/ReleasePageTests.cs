using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>
/// The release page in Chromium: the state, the current step among all of them and the traffic shares, each check's
/// value with its interval and verdict, the checks over time, and every decision with who made it.
/// </summary>
public class ReleasePageTests
{
    private static readonly string Credit = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    private const string Policy = """

        protected_attributes: [Marital]
        release:
          steps: [50, 100]
          bake: 1h
          min_requests: 30
        """;

    [Fact]
    public async Task ReleasePage_ShowsTheStepTrafficChecksAndDecisions()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-release-").FullName, "credit");
        await TendProcess.RunAsync("init", dir, "--task", "binary", "--label", "Status", "--data", Credit, "--name", "credit");
        File.AppendAllText(Path.Combine(dir, "tend.yaml"), Policy);
        await TendProcess.RunAsync("data", "add", Credit, "--workspace", dir);
        for (var i = 0; i < 2; i++) // the same training twice: a challenger every check passes
        {
            var run = JsonDocument.Parse(await TendProcess.RunAsync("train", "--workspace", dir, "--json")).RootElement.GetProperty("run_id").GetString()!;
            await TendProcess.RunAsync("models", "register", run, "--workspace", dir);
        }
        await TendProcess.RunAsync("evaluate", "credit@1", "--workspace", dir);
        await TendProcess.RunAsync("models", "promote", "credit", "1", "--reason", "first", "--workspace", dir);
        await TendProcess.RunAsync("evaluate", "credit@2", "--workspace", dir);
        await TendProcess.RunAsync("release", "start", "credit", "2", "--reason", "retrained", "--workspace", dir);

        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var http = TendProcess.Client(url);
            var rows = File.ReadAllLines(Credit);
            var header = rows[0].Split(',');
            // Traffic until the server's release host has judged the step: baking, every check passed.
            for (var (i, waited) = (1, System.Diagnostics.Stopwatch.StartNew()); ; i++)
            {
                var cells = rows[1 + (i - 1) % (rows.Length - 1)].Split(',');
                var body = "{" + string.Join(", ", header.Select((h, k) => (h, k)).Where(p => p.h != "Status")
                    .Select(p => $"\"{p.h}\": {(cells[p.k].Length == 0 ? "null" : double.TryParse(cells[p.k], System.Globalization.CultureInfo.InvariantCulture, out _) ? cells[p.k] : $"\"{cells[p.k]}\"")}")) + "}";
                (await http.PostAsync("/v1/models/credit/predict", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
                if (i % 20 != 0)
                    continue;
                var release = JsonDocument.Parse(await http.GetStringAsync("/api/v1/releases/credit")).RootElement;
                if (release.GetProperty("decisions").EnumerateArray().Any(d => d.GetProperty("action").GetString() == "bake"))
                    break;
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), release.ToString());
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            await page.GotoAsync(url + "/deployments/credit");
            await page.Locator("[data-testid=release-link]").ClickAsync();
            await page.WaitForURLAsync("**/releases/credit");
            Assert.Equal("canary", await page.Locator("[data-testid=state]").GetAttributeAsync("data-state"));
            Assert.Contains("canary at 50% against champion v1", await page.Locator("[data-testid=state]").InnerTextAsync());
            Assert.Equal("challenger v2 answers 50% of requests, champion v1 50%", await page.Locator("[data-testid=traffic]").InnerTextAsync());
            Assert.Equal(["current", "ahead"], await page.Locator("[data-testid=steps] li").EvaluateAllAsync<string[]>("s => s.map(x => x.dataset.at)"));

            var checks = await page.Locator("[data-testid=checks] tr[data-check]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.check + ' ' + r.dataset.verdict)");
            Assert.Contains("agreement pass", checks);
            Assert.Contains("estimated_performance pass", checks);
            Assert.Contains("fairness:Marital pass", checks);
            var agreement = await page.Locator("[data-testid=checks] tr[data-check=agreement] td").AllInnerTextsAsync();
            Assert.Equal("1", agreement[2]); // the same model: every answer agrees
            Assert.Matches(@"^\[0\.\d+, 1\]$", agreement[4]); // Wilson's interval
            Assert.Contains("(critical)", await page.Locator("[data-testid=checks] tr[data-check=latency_p99]").InnerTextAsync());
            Assert.True(await page.Locator("[data-testid=history] tr[data-action=bake]").CountAsync() >= 1);

            var decisions = await page.Locator("[data-testid=decisions] tr[data-action]").AllInnerTextsAsync();
            Assert.Contains("start", decisions[^1]);
            Assert.Contains("retrained", decisions[^1]);
            Assert.Contains("tend-release", decisions[0]); // the server's host judged it

            await TendProcess.RunAsync("release", "pause", "credit", "--reason", "looking closer", "--workspace", dir);
            await page.ReloadAsync();
            Assert.Equal("paused", await page.Locator("[data-testid=state]").GetAttributeAsync("data-state"));
            Assert.Contains("looking closer", await page.Locator("[data-testid=decisions] tr[data-action=pause]").InnerTextAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-release.png"), FullPage = true });
        }
    }
}
