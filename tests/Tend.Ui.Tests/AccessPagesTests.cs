using System.Net.Http.Json;
using System.Text.Json;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>The web UI shows each person what their roles let them read: a viewer of one project sees its runs alone, and the pages of others are refused.</summary>
public class AccessPagesTests
{
    private static readonly string Penguins = Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv");

    [Fact]
    public async Task AViewerOfOneProject_SeesItsRunsAlone_AndIsRefusedTheRest()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-access-").FullName, "penguins");
        await TendProcess.RunAsync("init", dir, "--task", "multiclass", "--label", "species", "--data", Penguins, "--name", "penguins");
        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var admin = TendProcess.Client(url);
            async Task<string> StartRunAsync(string project) =>
                (await (await admin.PostAsJsonAsync("/api/v1/runs", new { project, name = $"a {project} run" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var served = await StartRunAsync("penguins");
            var churn = await StartRunAsync("churn");
            (await admin.PostAsJsonAsync("/api/v1/access", new { subject = "dana", project = "churn", role = "viewer" })).EnsureSuccessStatusCode();
            var made = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "dana's browser", subject = "dana" });
            var token = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

            using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url, token);
            Assert.EndsWith("/runs", page.Url); // not the served project's overview, which dana may not read
            Assert.Equal([churn[..8]], await page.Locator("[data-testid=run-link]").AllInnerTextsAsync());
            Assert.Equal(["Runs"], await page.Locator("[data-testid=nav] a:not(.tend-brand)").AllInnerTextsAsync());
            Assert.Equal(200, (await page.GotoAsync($"{url}/runs/{churn}"))!.Status);

            foreach (var refused in new[] { "/", "/datasets", "/monitoring", "/pipelines", "/audit", $"/runs/{served}", $"/runs/compare?ids={churn}&ids={served}",
                         "/models/penguins@champion", "/models/penguins@nothing-here", "/deployments/penguins" })
            {
                var response = await page.GotoAsync(url + refused);
                Assert.True(response!.Status == 403, $"{refused}: {response.Status}");
                Assert.Contains("dana may not read", await response.TextAsync());
            }

            var adminPage = await Browser.SignedInAsync(browser, url); // who reads every project sees both, and every page
            Assert.Contains("Audit", await adminPage.Locator("[data-testid=nav]").InnerTextAsync());
            await adminPage.GotoAsync(url + "/runs");
            Assert.Equal(2, await adminPage.Locator("[data-testid=run-link]").CountAsync());
        }
    }
}
