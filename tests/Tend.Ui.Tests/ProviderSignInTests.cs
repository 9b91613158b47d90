using System.Net.Http.Json;
using System.Text.Json;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>Signing in to the web UI through a real OpenID Connect provider (tests/oidc): the code flow with PKCE, the person and roles its ID token names, audited.</summary>
public class ProviderSignInTests
{
    private static readonly string Penguins = Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv");

    [Fact]
    public async Task APerson_SignsInThroughTheIdentityProvider_WithTheRolesItsTokenCarries()
    {
        await using var issuer = await OidcIssuer.StartAsync(person: "erin", roles: "churn:viewer");
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-oidc-").FullName, "penguins");
        await TendProcess.RunAsync("init", dir, "--task", "multiclass", "--label", "species", "--data", Penguins, "--name", "penguins");
        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir, "--oidc-issuer", issuer.Url, "--oidc-client-id", "tend");
        await using (tend)
        {
            var url = serving.GetProperty("url").GetString()!;
            using var admin = TendProcess.Client(url);
            async Task<string> StartRunAsync(string project) =>
                (await (await admin.PostAsJsonAsync("/api/v1/runs", new { project })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await StartRunAsync("penguins");
            var churn = await StartRunAsync("churn");

            using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await browser.NewPageAsync();
            await page.GotoAsync(url + "/runs/compare");
            Assert.Contains("/signin?return=", page.Url);
            await page.ClickAsync("[data-testid=signin-provider]"); // to the provider, which signs erin in, and back
            await page.WaitForURLAsync(u => u.Contains("/runs/compare", StringComparison.Ordinal) && !u.Contains("signin", StringComparison.Ordinal));
            Assert.Equal("erin", await page.Locator("[data-testid=caller]").InnerTextAsync());
            await page.GotoAsync(url + "/runs");
            Assert.Equal([churn[..8]], await page.Locator("[data-testid=run-link]").AllInnerTextsAsync()); // a viewer of churn, as the provider says
            Assert.Equal(403, (await page.GotoAsync(url + "/"))!.Status);

            var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/audit?subject=access:erin")).RootElement.EnumerateArray().ToList();
            Assert.Contains(audit, e => e.GetProperty("action").GetString() == "auth.signin" && e.GetProperty("reason").GetString()!.Contains($"oidc {issuer.Url}"));

            await page.GotoAsync(url + "/runs");
            await page.ClickAsync("[data-testid=signout] button[type=submit]");
            await page.WaitForURLAsync("**/signin");
            await page.GotoAsync(url + "/runs");
            Assert.Contains("/signin?return=", page.Url); // signed out: the session is gone

            await page.GotoAsync(url + "/signin/oidc/callback?code=forged&state=forged"); // a response the flow did not start
            Assert.Contains("identity provider did not sign you in", await page.Locator("[data-testid=signin-problem]").InnerTextAsync());
            Assert.Contains("auth.failed", await admin.GetStringAsync("/api/v1/audit?subject=access:"));
        }
    }
}
