using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>The runs pages in Chromium: the server-paged, filtered, sorted list; a run with its downsampled metric charts; two runs compared.</summary>
public class RunsPagesTests
{
    private static readonly string Penguins = Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv");

    /// <summary>A run logged over REST, as the SDK does, with a long loss curve.</summary>
    private static async Task<string> LogLongRunAsync(HttpClient http, string name, int points, double scale)
    {
        var start = await http.PostAsJsonAsync("/api/v1/runs", new { project = "penguins", name, @params = new { lr = scale.ToString() } });
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var steps = Enumerable.Range(0, points).Select(i => (long)i).ToArray();
        var log = await http.PostAsJsonAsync($"/api/v1/runs/{id}/log", new
        {
            metrics = new[] { new { key = "loss", values = steps.Select(s => scale / (s + 1)).ToArray(), steps, timestamps = new long[points] } },
        });
        Assert.True(log.IsSuccessStatusCode, await log.Content.ReadAsStringAsync());
        (await http.PostAsJsonAsync($"/api/v1/runs/{id}/end", new { status = "finished" })).EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task RunsPages_ListFilterSort_ChartDownsampled_CompareOverlaid()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-runs-").FullName, "penguins");
        await TendProcess.RunAsync("init", dir, "--task", "multiclass", "--label", "species", "--data", Penguins, "--name", "penguins");
        await TendProcess.RunAsync("data", "add", Penguins, "--workspace", dir);
        await TendProcess.RunAsync("train", "--search", "4", "--workspace", dir);

        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var http = TendProcess.Client(url);
            var first = await LogLongRunAsync(http, "long", 100_000, 1.0);
            var second = await LogLongRunAsync(http, "longer", 20_000, 2.0);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            Assert.Equal(200, (await page.GotoAsync(url + "/runs"))!.Status);
            Assert.Equal(7, await page.Locator("[data-testid=run-link]").CountAsync()); // the search, its 4 trials, 2 logged runs
            Assert.Equal("runs 1–7 of 7", await page.Locator("[data-testid=range]").InnerTextAsync());

            // Filtering happens on the server: only the search's trials.
            await page.Locator("[data-testid=where]").FillAsync("name like 'trial%'");
            await page.Locator("[data-testid=filter]").ClickAsync();
            await page.WaitForURLAsync("**where=*");
            Assert.Equal(4, await page.Locator("[data-testid=run-link]").CountAsync());
            await page.Locator("[data-testid='sort-metrics.macro_accuracy']").ClickAsync(); // trials have cv_macro_accuracy only: still listed
            await page.WaitForURLAsync("**order_by=*");
            Assert.Equal(4, await page.Locator("[data-testid=run-link]").CountAsync());

            // The search's page: its leaderboard, each trial linked to its child run.
            await page.GotoAsync(url + "/runs?where=" + Uri.EscapeDataString("name = 'search'"));
            await page.Locator("[data-testid=run-link]").ClickAsync();
            await page.WaitForSelectorAsync("[data-testid=leaderboard]");
            Assert.Equal(4, await page.Locator("[data-testid=leaderboard] tbody tr").CountAsync());
            Assert.Contains("4 child runs", await page.Locator("[data-testid=children]").InnerTextAsync());
            await page.Locator("[data-testid=leaderboard] tbody tr a").First.ClickAsync();
            await page.WaitForSelectorAsync("[data-testid=parent]");

            await page.GotoAsync(url + "/runs");
            await page.Locator("[data-testid=where]").FillAsync("metrics.loss >> 1");
            await page.Locator("[data-testid=filter]").ClickAsync();
            Assert.Contains("the filter at character", await page.Locator("[data-testid=error]").InnerTextAsync());

            // A 100,000-value history is drawn from at most 500 server-side step ranges, with its extremes kept.
            Assert.Equal(200, (await page.GotoAsync(url + $"/runs/{first}"))!.Status);
            var line = page.Locator("[data-testid=chart-loss] polyline");
            Assert.InRange(int.Parse((await line.GetAttributeAsync("data-points"))!), 2, 500);
            Assert.Contains("100,000 values", await page.Locator("[data-testid=chart-loss] figcaption").InnerTextAsync());
            var axes = await page.Locator("[data-testid=chart-loss] div").InnerTextAsync();
            Assert.StartsWith("steps 0–99800; values 1E-5–1", axes); // each point is a range of 200 steps, placed at its first

            // Compare: both curves on one chart, and the table of what differs.
            await page.GotoAsync(url + "/runs");
            await page.Locator($"input[value='{first}']").CheckAsync();
            await page.Locator($"input[value='{second}']").CheckAsync();
            await page.Locator("[data-testid=compare]").ClickAsync();
            await page.WaitForURLAsync("**/runs/compare*");
            Assert.Equal(2, await page.Locator("[data-testid=chart-loss] polyline").CountAsync());
            var rows = await page.Locator("[data-testid=comparison] tbody tr").CountAsync();
            await page.Locator("[data-testid=toggle-diff]").ClickAsync();
            await page.WaitForURLAsync("**diff_only=true*");
            var differing = page.Locator("[data-testid=comparison] tbody tr");
            Assert.InRange(await differing.CountAsync(), 1, rows - 1);
            Assert.Empty(await page.Locator("[data-testid=comparison] tbody tr[data-differs=false]").AllAsync());
            Assert.Contains("lr", await page.Locator("[data-testid=comparison]").InnerTextAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-compare.png"), FullPage = true });
        }
    }
}
