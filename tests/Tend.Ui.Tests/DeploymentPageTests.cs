using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>The deployment page in Chromium: versions and traffic shares per route, request rate, latency, rejections, shadow agreement.</summary>
public class DeploymentPageTests
{
    private static readonly string Credit = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public async Task DeploymentPage_ShowsEachRoutesTraffic_AndTheShadow()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-deploy-").FullName, "credit");
        await TendProcess.RunAsync("init", dir, "--task", "binary", "--label", "Status", "--data", Credit, "--name", "credit");
        await TendProcess.RunAsync("data", "add", Credit, "--workspace", dir);
        var yaml = Path.Combine(dir, "tend.yaml");
        foreach (var seed in new[] { "42", "7" })
        {
            File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("seed: 42", $"seed: {seed}"));
            var run = JsonDocument.Parse(await TendProcess.RunAsync("train", "--workspace", dir, "--json")).RootElement.GetProperty("run_id").GetString()!;
            await TendProcess.RunAsync("models", "register", run, "--workspace", dir);
        }
        await TendProcess.RunAsync("evaluate", "credit@1", "--workspace", dir);
        await TendProcess.RunAsync("models", "promote", "credit", "1", "--reason", "first", "--workspace", dir);
        await TendProcess.RunAsync("deploy", "credit", "--canary", "2", "--percent", "50", "--shadow", "2", "--reason", "try seed 7", "--workspace", dir);

        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var http = TendProcess.Client(url);
            var row = "{\"Seniority\": 9, \"Home\": \"rent\", \"Time\": 60, \"Age\": 30, \"Marital\": \"married\", \"Records\": \"no\", \"Job\": \"freelance\", " +
                      "\"Expenses\": 73, \"Income\": 129, \"Assets\": 0, \"Debt\": 0, \"Amount\": 800, \"Price\": 846}";
            for (var i = 0; i < 80; i++)
                (await http.PostAsync("/v1/models/credit/predict", new StringContent(row, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            var bad = await http.PostAsync("/v1/models/credit/predict", new StringContent("{\"Seniority\": \"long\"}", Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)bad.StatusCode);
            // The log is written, and the shadow has scored its copies, once the deployment's status compares all 80.
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); ; await Task.Delay(50))
            {
                var status = JsonDocument.Parse(await http.GetStringAsync("/api/v1/deployments/credit")).RootElement;
                if (status.GetProperty("shadow") is { ValueKind: JsonValueKind.Object } shadow && shadow.GetProperty("compared").GetInt32() >= 80)
                    break;
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), status.ToString());
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            await page.GotoAsync(url + "/");
            await page.Locator("[data-testid=deployment-link]").ClickAsync();
            await page.WaitForURLAsync("**/deployments/credit");
            var deployment = await page.Locator("[data-testid=deployment]").InnerTextAsync();
            Assert.Contains("canary v2 on 50% of requests", deployment);
            Assert.Contains("shadow v2", deployment);

            var primary = page.Locator("[data-testid=routes] tr[data-route=primary] td");
            var canary = page.Locator("[data-testid=routes] tr[data-route=canary] td");
            var rows = int.Parse(await primary.Nth(2).InnerTextAsync()) + int.Parse(await canary.Nth(2).InnerTextAsync());
            Assert.Equal(80, rows);
            Assert.InRange(int.Parse(await canary.Nth(2).InnerTextAsync()), 20, 60); // half of 80, ±4.5 standard deviations
            Assert.Equal("v2", await canary.Nth(1).InnerTextAsync());
            var rejected = int.Parse(await primary.Nth(7).InnerTextAsync()) + int.Parse(await canary.Nth(7).InnerTextAsync());
            Assert.Equal(1, rejected);
            Assert.Contains("requests scored by both", await page.Locator("[data-testid=shadow]").InnerTextAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "tend-deployment.png"), FullPage = true });
        }
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }
}
