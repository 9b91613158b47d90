using System.Diagnostics;
using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>The datasets pages of a served project in Chromium: lineage, schema, profiles with histograms and top values, anomalies highlighted.</summary>
public class DatasetsPageTests
{
    private static readonly string Penguins = Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv");

    [Fact]
    public async Task DatasetsPages_ShowLineageSchemaProfilesAndAnomalies()
    {
        var root = Directory.CreateTempSubdirectory("tend-ui-data-").FullName;
        var dir = Path.Combine(root, "penguins");
        var lines = File.ReadAllLines(Penguins);
        // The first 200 birds, then the rest appended: the appended version's label shares shift (a warning).
        File.WriteAllLines(Path.Combine(root, "first.csv"), lines[..201]);
        File.WriteAllLines(Path.Combine(root, "rest.csv"), lines[201..].Prepend(lines[0]));
        await TendProcess.RunAsync("init", dir, "--task", "multiclass", "--label", "species", "--data", Penguins, "--name", "penguins");
        await TendProcess.RunAsync("data", "add", Path.Combine(root, "first.csv"), "--workspace", dir);
        await TendProcess.RunAsync("data", "add", Path.Combine(root, "rest.csv"), "--append", "--workspace", dir);

        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            Assert.Equal(200, (await page.GotoAsync(url + "/datasets"))!.Status);
            var links = page.Locator("[data-testid=version-link]");
            Assert.Equal(2, await links.CountAsync());

            await links.First.ClickAsync(); // newest first: the appended version
            await page.WaitForURLAsync("**/datasets/penguins*");
            Assert.Contains("rest.csv", await page.Locator("[data-testid=source]").InnerTextAsync());
            Assert.StartsWith("penguins@", await page.Locator("[data-testid=parent]").InnerTextAsync());
            Assert.Contains("344 rows × 8 columns", await page.Locator("[data-testid=lineage]").InnerTextAsync());

            Assert.Equal(8, await page.Locator("[data-testid=schema] tbody tr").CountAsync());
            // A numeric column's histogram: 20 bars drawn from the stored distribution, summing to its present values.
            var bars = page.Locator("[data-testid=histogram-bill_length_mm] rect");
            Assert.Equal(20, await bars.CountAsync());
            var titles = await bars.Locator("title").AllTextContentsAsync();
            Assert.Equal(342, titles.Sum(t => int.Parse(t[(t.LastIndexOf(':') + 2)..])));
            Assert.Contains("Biscoe", await page.Locator("[data-testid=top-island]").InnerTextAsync());

            // The label shift is a warning: on an amber row, and the species column is flagged.
            var warning = page.Locator("tr", new PageLocatorOptions { HasText = "label_shift" });
            Assert.Contains("species", await warning.InnerTextAsync());
            Assert.Equal("rgb(255, 248, 225)", await warning.Locator("td").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
            Assert.Equal("true", await page.Locator("[data-testid=column-species]").GetAttributeAsync("data-flagged"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-dataset.png"), FullPage = true });

            await page.Locator("[data-testid=parent]").ClickAsync();
            await page.WaitForSelectorAsync("[data-testid=no-anomalies]");
            Assert.Contains("200 rows", await page.Locator("[data-testid=lineage]").InnerTextAsync());
            Assert.Equal(200, (await page.GotoAsync(url + "/datasets/penguins@000000"))!.Status);
            Assert.Contains("No dataset version", await page.Locator("[data-testid=not-found]").InnerTextAsync());
        }
        Directory.Delete(root, recursive: true);
    }
}
