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
            var page = await Browser.SignedInAsync(browser, url);
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

            // Every page has the bar of links, its tables are set in the headings' type face, not the browser's serif, and
            // it fits a 1280 × 800 window without scrolling sideways (a screenshot of each goes to the test output's screenshots/).
            var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            if (Directory.Exists(screenshots))
                Directory.Delete(screenshots, recursive: true); // only this run's pages
            var links = await page.Locator("[data-testid=nav] a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            Assert.Equal(9, links.Length); // the project's name, then eight pages
            // Beside them, the pages they lead to: a run, two runs compared, a dataset version, the audit of one subject.
            await page.GotoAsync(url + "/runs");
            var runs = await page.Locator("[data-testid=run-link]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            var ids = runs.Take(2).Select(r => "ids=" + r.Split('/').Last()).ToList();
            var shown = page.Locator("[data-testid=metric] .tend-num").First;
            Assert.Matches(@"^0\.\d{1,4}$", await shown.InnerTextAsync()); // 4 significant digits
            Assert.Matches(@"^0\.\d{5,}$", await shown.GetAttributeAsync("title")); // every digit on hover
            await page.GotoAsync(url + "/datasets");
            var dataset = await page.Locator("[data-testid=version-link]").First.GetAttributeAsync("href");
            string[] more = [runs[0], "/runs/compare?" + string.Join('&', ids), dataset!, "/audit?subject=spam%40champion"];
            await page.SetViewportSizeAsync(1280, 800);
            foreach (var href in links.Distinct().Concat(more))
            {
                var opened = await page.GotoAsync(url + "/" + href.TrimStart('/'));
                Assert.True(opened!.Status == 200, $"{href}: {opened.Status}");
                Assert.Equal(9, await page.Locator("[data-testid=nav] a").CountAsync());
                var faces = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('h1, h2, td, th')].map(e => getComputedStyle(e).fontFamily)");
                Assert.True(faces.Distinct().Count() == 1, $"{href}: {string.Join(" | ", faces.Distinct())}");
                var shot = href == "/" ? "overview" : string.Concat(Uri.UnescapeDataString(href.Trim('/')).Select(c => char.IsLetterOrDigit(c) || c is '@' or '-' ? c : '-'));
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(screenshots, shot + ".png"), FullPage = true });
                var (scroll, width) = (await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth"), await page.EvaluateAsync<int>("() => document.scrollingElement.clientWidth"));
                Assert.True(scroll <= width, $"{href} scrolls sideways at 1280 px: {scroll} px wide");
            }

            // The quickstart's retraining is a pipeline run; its audit trail is intact, and one subject's events are its own.
            await page.GotoAsync(url + "/pipelines");
            Assert.True(await page.Locator("[data-testid=pipelines] tr[data-succeeded]").CountAsync() >= 1);
            var steps = string.Join(" ", await page.Locator("[data-testid=pipelines] .tend-step").AllInnerTextsAsync());
            Assert.Contains("train", steps);
            await page.GotoAsync(url + "/audit?subject=spam%40champion");
            Assert.Contains("hash chain is intact", await page.Locator("[data-testid=chain]").InnerTextAsync());
            var subjects = await page.Locator("[data-testid=audit] tbody tr td:nth-child(5)").AllInnerTextsAsync();
            Assert.NotEmpty(subjects);
            Assert.All(subjects, subject => Assert.Equal("spam@champion", subject.Trim()));

            // The champion's lineage fits the 1280 px window at its own size: its text is not shrunk to fit.
            await page.GotoAsync(url + "/models/spam%40champion");
            var sizes = await page.EvaluateAsync<double[]>(
                "() => { const g = document.querySelector('[data-testid=lineage-graph]'); return [g.getBoundingClientRect().width, g.width.baseVal.value, g.parentElement.clientWidth]; }");
            var (drawn, natural, room) = (sizes[0], sizes[1], sizes[2]);
            Assert.Equal(natural, drawn, 1);
            Assert.True(drawn <= room, $"the lineage is {drawn} px wide in {room} px");
        }
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }
}
