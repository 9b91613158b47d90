using System.Text.Json;
using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>A model version's page in Chromium: its lineage graph, alias history, approvals, the evaluation with its charts, and its model card.</summary>
public class ModelPageTests
{
    private static readonly string Credit = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public async Task ModelPage_DrawsLineage_ShowsAliasHistoryAndTheEvaluation_LinksTheCard()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-model-").FullName, "credit");
        await TendProcess.RunAsync("init", dir, "--task", "binary", "--label", "Status", "--data", Credit, "--name", "credit");
        File.AppendAllText(Path.Combine(dir, "tend.yaml"), "\nprotected_attributes: [Marital, Age]\napproval: required\n");
        await TendProcess.RunAsync("data", "add", Credit, "--workspace", dir);
        var run = JsonDocument.Parse(await TendProcess.RunAsync("train", "--workspace", dir, "--json")).RootElement.GetProperty("run_id").GetString()!;
        await TendProcess.RunAsync("models", "register", run, "--description", "credit risk v1", "--workspace", dir);
        await TendProcess.RunAsync("evaluate", "credit@1", "--workspace", dir);
        var promoted = await TendProcess.RunAsync("models", "promote", "credit", "1", "--as", "alice", "--reason", "first release", "--workspace", dir, "--json");
        var request = JsonDocument.Parse(promoted).RootElement.GetProperty("request_id").GetString()!;
        await TendProcess.RunAsync("models", "approve", request, "--as", "bob", "--reason", "checked the card", "--workspace", dir);

        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            Assert.Equal(200, (await page.GotoAsync(url + "/"))!.Status);
            await page.Locator("[data-testid=champion-version]").ClickAsync();
            await page.WaitForURLAsync("**/models/credit%401");
            Assert.Contains("credit risk v1", await page.Locator("[data-testid=summary]").InnerTextAsync());

            // Lineage: source → dataset → run → model → evaluation → approval → champion move, each a box joined by an arrow.
            var graph = page.Locator("[data-testid=lineage] svg");
            foreach (var kind in new[] { "source", "dataset", "run", "model", "evaluation", "approval", "alias" })
                Assert.Equal(1, await graph.Locator($"g[data-kind={kind}]").CountAsync());
            Assert.Equal(6, await graph.Locator("path[data-edge]").CountAsync());
            Assert.Contains("champion: – → 1", await graph.Locator("g[data-kind=alias] text").First.TextContentAsync());
            Assert.Contains("approved by bob", await graph.Locator("g[data-kind=alias] title").TextContentAsync());

            var history = page.Locator("[data-testid=alias-history] tbody tr");
            Assert.Equal(1, await history.CountAsync());
            Assert.Contains("approved", await history.InnerTextAsync());
            Assert.Contains("bob", await page.Locator("[data-testid=approvals]").InnerTextAsync());

            // The evaluation, with its charts drawn and its tables styled.
            var evaluation = page.Locator("[data-testid=evaluation]");
            Assert.StartsWith("Passed", await page.Locator("[data-testid=evaluation-verdict]").InnerTextAsync());
            Assert.Equal(4, await evaluation.Locator("svg").CountAsync()); // ROC, PR, calibration, importance
            Assert.Contains("Fairness by Marital", await evaluation.InnerTextAsync());
            Assert.Contains("Fairness by Age", await evaluation.InnerTextAsync());
            var border = await evaluation.Locator("td").First.EvaluateAsync<string>("e => getComputedStyle(e).borderTopStyle");
            Assert.Equal("solid", border);
            Assert.True(await evaluation.Locator("svg polyline").First.IsVisibleAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-model.png"), FullPage = true });

            // A box of the graph opens what it stands for.
            await graph.Locator("g[data-kind=run]").ClickAsync();
            await page.WaitForURLAsync($"**/runs/{run}");

            var card = await page.GotoAsync(url + "/api/v1/models/credit%401/card?format=html");
            Assert.Equal(200, card!.Status);
            Assert.Contains("Model card: credit@1", await page.Locator("h1").InnerTextAsync());
            Assert.Contains("checked the card", await page.ContentAsync());

            await page.GotoAsync(url + "/models/credit%409");
            Assert.Contains("credit@9 not found", await page.Locator("[data-testid=error]").InnerTextAsync());
        }
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }
}
