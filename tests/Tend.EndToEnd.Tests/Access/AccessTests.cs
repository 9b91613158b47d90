using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Server;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Access;

/// <summary>Tokens over the API, lists filtered by what the caller may read, and the browser's ways in: cross-site posts, forged hosts, the web UI's session.</summary>
public sealed class AccessTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Lists_ShowOnlyTheProjectsTheCallerMayRead()
    {
        using var ws = new TestWorkspace();
        var spamRun = await ws.WithChampionAsync();
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var admin = await app.AdminAsync(url);
            var started = await admin.PostAsJsonAsync("/api/v1/runs", new { project = "churn", name = "elsewhere" });
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            var churnRun = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            Assert.Equal(2, JsonDocument.Parse(await admin.GetStringAsync("/api/v1/runs")).RootElement.GetProperty("total").GetInt64());

            using var dana = await app.AsAsync(url, "dana", Role.Viewer, "churn");
            var runs = JsonDocument.Parse(await dana.GetStringAsync("/api/v1/runs")).RootElement;
            Assert.Equal(1, runs.GetProperty("total").GetInt64()); // counted in the query, not cut from a page
            Assert.Equal(churnRun, runs.GetProperty("runs")[0].GetProperty("id").GetString());
            Assert.Equal(0, JsonDocument.Parse(await dana.GetStringAsync("/api/v1/runs?project=spam")).RootElement.GetProperty("total").GetInt64());
            Assert.Empty(JsonDocument.Parse(await dana.GetStringAsync("/api/v1/models")).RootElement.EnumerateArray());
            Assert.Empty(JsonDocument.Parse(await dana.GetStringAsync("/api/v1/projects")).RootElement.EnumerateArray());
            Assert.Equal(HttpStatusCode.Forbidden, (await dana.GetAsync($"/api/v1/runs/{spamRun}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await dana.GetAsync($"/api/v1/runs/compare?ids={churnRun},{spamRun}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await dana.PostAsJsonAsync("/api/v1/runs", new { project = "churn" })).StatusCode); // a viewer logs no runs
            Assert.Equal(HttpStatusCode.Forbidden, (await dana.PostAsync("/v1/models/spam/predict", Json("{}"))).StatusCode);
        }
    }

    [Fact]
    public async Task Tokens_AreMadeListedAndRevokedOverTheApi_AndARevokedOrExpiredOneIsRefused()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct, time: time);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var admin = await app.AdminAsync(url);
            var made = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "laptop", subject = "bob", scopes = new[] { "read" }, days = 1 });
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            var body = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement;
            var secret = body.GetProperty("secret").GetString()!;
            var id = body.GetProperty("token").GetProperty("id").GetString()!;
            Assert.StartsWith("tend_pat_", secret);
            Assert.True(TokenSecret.IsWellFormed(secret));

            using var bob = TendProcess.Client(url, secret);
            var me = JsonDocument.Parse(await bob.GetStringAsync("/api/v1/whoami")).RootElement;
            Assert.Equal("bob", me.GetProperty("name").GetString());
            Assert.Equal(["read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
            Assert.DoesNotContain(secret, await admin.GetStringAsync("/api/v1/tokens")); // listed, never shown again
            Assert.Single(JsonDocument.Parse(await bob.GetStringAsync("/api/v1/tokens")).RootElement.EnumerateArray()); // bob sees his own
            var forOthers = await bob.PostAsJsonAsync("/api/v1/tokens", new { name = "sneaky", subject = "admin" });
            Assert.Equal(HttpStatusCode.Forbidden, forOthers.StatusCode);

            Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
            var revoked = await bob.GetAsync("/api/v1/whoami");
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
            Assert.Contains("revoked by admin", await revoked.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);

            var second = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "ci", subject = "deployer-bot", kind = "service", days = 1 });
            var ci = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
            Assert.StartsWith("tend_sa_", ci);
            using var bot = TendProcess.Client(url, ci);
            Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("/api/v1/whoami")).StatusCode);
            time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
            var expired = await bot.GetAsync("/api/v1/whoami");
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "forever", days = 400 })).StatusCode);

            var audit = await admin.GetStringAsync("/api/v1/audit");
            Assert.Contains("\"token.create\"", audit);
            Assert.Contains("\"token.revoke\"", audit);
            Assert.DoesNotContain(secret, audit);
            Assert.DoesNotContain(ci, audit);
        }
    }

    [Fact]
    public async Task CrossSite_TextPlainPosts_ForgedHosts_AndCookiesWithoutAntiforgery_AreRefused()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var admin = await app.AdminAsync(url);
            // A page elsewhere can send a text/plain POST without a preflight: it carries no token, and a JSON endpoint does not read it.
            using var page = new HttpClient { BaseAddress = new Uri(url) };
            var promote = new StringContent("""{"version": 1, "reason": "x"}""", Encoding.UTF8, "text/plain");
            Assert.Equal(HttpStatusCode.Unauthorized, (await page.PostAsync("/api/v1/models/spam/promote", promote)).StatusCode);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/api/v1/models/spam/promote", new StringContent("""{"version": 1, "reason": "x"}""", Encoding.UTF8, "text/plain"))).StatusCode);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/v1/models/spam/predict", new StringContent("{}", Encoding.UTF8, "text/plain"))).StatusCode);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/v1/feedback", new FormUrlEncodedContent([new("request_id", "x")]))).StatusCode);

            // DNS rebinding: a page served from evil.example that resolves to 127.0.0.1 sends Host: evil.example.
            using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/v1/runs");
            rebound.Headers.Host = "evil.example";
            Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(rebound)).StatusCode);
            using var named = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            named.Headers.Host = "localhost";
            Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(named)).StatusCode);
            // No CORS unless configured: a cross-origin read gets no Access-Control-Allow-Origin.
            using var origin = new HttpRequestMessage(HttpMethod.Get, "/api/v1/runs");
            origin.Headers.Add("Origin", "https://evil.example");
            Assert.False((await admin.SendAsync(origin)).Headers.Contains("Access-Control-Allow-Origin"));

            // The web UI's session: signed in through the form, it opens pages, not the API, and signing out needs the form's token.
            var cookies = new CookieContainer();
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/runs")).StatusCode);
            var failed = await browser.PostAsync("/signin", new FormUrlEncodedContent([new("Token", "tend_pat_wrong"), new("__RequestVerificationToken", await FormTokenAsync(browser, "/signin"))]));
            Assert.True(failed.StatusCode == HttpStatusCode.Unauthorized, await failed.Content.ReadAsStringAsync());
            var forged = await browser.PostAsync("/signin", new FormUrlEncodedContent([new("Token", TendProcess.AdminToken), new("Return", "/runs")]));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode); // no antiforgery token: a cross-site form cannot sign a browser in
            var signedIn = await browser.PostAsync("/signin", new FormUrlEncodedContent([new("Token", TendProcess.AdminToken), new("Return", "//evil.example/"),
                new("__RequestVerificationToken", await FormTokenAsync(browser, "/signin"))]));
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal("/", signedIn.Headers.Location!.OriginalString); // never another site
            var session = cookies.GetCookies(new Uri(url)).Single(c => c.Name == "tend_session");
            Assert.True(session.HttpOnly);
            Assert.DoesNotContain(TendProcess.AdminToken, session.Value);

            var runsPage = await browser.GetAsync("/runs");
            Assert.Equal(HttpStatusCode.OK, runsPage.StatusCode);
            Assert.Contains("data-testid=\"caller\">admin<", await runsPage.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/runs")).StatusCode); // the API takes no ambient cookie
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/api/v1/models/spam/rollback", JsonContent.Create(new { reason = "csrf" }))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/models/spam@1/card")).StatusCode); // a page the UI links to
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/signout", new FormUrlEncodedContent([]))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/runs")).StatusCode); // still signed in
            var signedOut = await browser.PostAsync("/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", await FormTokenAsync(browser, "/runs"))]));
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/runs")).StatusCode);

            var audit = await admin.GetStringAsync("/api/v1/audit");
            Assert.Contains("\"auth.signin\"", audit);
            Assert.Contains("\"auth.failed\"", audit);
            Assert.DoesNotContain(TendProcess.AdminToken, audit);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The antiforgery token of the form on a page (the hidden field Blazor's AntiforgeryToken writes).</summary>
    private static async Task<string> FormTokenAsync(HttpClient browser, string path)
    {
        var html = await browser.GetStringAsync(path);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value is { Length: > 0 } token ? token
            : throw new InvalidOperationException($"no antiforgery token on {path}");
    }
}
