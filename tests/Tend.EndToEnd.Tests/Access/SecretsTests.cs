using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Core.Identity;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Access;

/// <summary>What a real <c>tend serve</c> does with credentials: never writes one to its log, the audit trail or an error; and the secure defaults around it.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task ATokenNeverAppears_InTheLog_TheAuditTrail_OrAnError()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var (server, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        var seen = new StringBuilder();
        var unknown = TokenSecret.New(TokenKind.Person); // well formed, never stored
        string bob;
        await using (server)
        {
            Assert.Equal(JsonValueKind.Null, serving.TryGetProperty("admin_token", out var printed) ? printed.ValueKind : JsonValueKind.Null); // TEND_ADMIN_TOKEN was given: none made
            var url = serving.GetProperty("url").GetString()!;
            using var admin = TendProcess.Client(url);
            var made = await admin.PostAsJsonAsync("/api/v1/tokens", new { name = "laptop", subject = "bob" });
            bob = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
            var id = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetProperty("id").GetString()!;
            foreach (var credential in new[] { bob, unknown, "tend_pat_short", bob + "x", $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + bob))}" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/models/spam/promote") { Content = JsonContent.Create(new { version = 1, reason = credential }) };
                request.Headers.TryAddWithoutValidation("Authorization", credential.StartsWith("Basic ", StringComparison.Ordinal) ? credential : $"Bearer {credential}");
                var answer = await new HttpClient { BaseAddress = new Uri(url) }.SendAsync(request);
                seen.Append(await answer.Content.ReadAsStringAsync());
            }
            await admin.DeleteAsync($"/api/v1/tokens/{id}");
            using (var revoked = TendProcess.Client(url, bob))
                seen.Append(await (await revoked.GetAsync("/api/v1/whoami")).Content.ReadAsStringAsync());
            seen.Append(await admin.GetStringAsync("/api/v1/audit"));
            seen.Append(await admin.GetStringAsync("/api/v1/tokens"));
            seen.Append(await server.StopAndReadLogAsync());
        }
        seen.Append(await TendProcess.RunAsync("tokens", "list", "--json", "--workspace", ws.Dir));
        seen.Append(await TendProcess.RunAsync("audit", "--json", "--workspace", ws.Dir));

        var all = seen.ToString();
        Assert.Contains("refused a credential", all); // the log said something of the refusals, without the credentials
        Assert.Contains("\"auth.failed\"", all);
        foreach (var secret in new[] { TendProcess.AdminToken, bob, unknown })
            Assert.DoesNotContain(secret, all);
    }

    [Fact]
    public async Task NoAuth_IsForLoopbackOnly_AndPredictionsMayBeOpenedAlone()
    {
        var exposed = await Cli.RunAsync("serve", "--no-auth", "--host", "0.0.0.0", "--port", "0", "--workspace", Path.GetTempPath());
        Assert.Equal(2, exposed.Exit);
        Assert.Contains("--no-auth is for a loopback address only", exposed.Stderr);

        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var (open, started) = await TendProcess.StartAsync("serve", "--no-auth", "--port", "0", "--workspace", ws.Dir);
        await using (open)
        {
            using var anyone = new HttpClient { BaseAddress = new Uri(started.GetProperty("url").GetString()!) };
            var me = JsonDocument.Parse(await anyone.GetStringAsync("/api/v1/whoami")).RootElement;
            Assert.Equal("anonymous", me.GetProperty("name").GetString());
            Assert.Contains("authentication is off", await open.StopAndReadLogAsync());
        }

        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\nserving:\n  auth: none\n");
        var (gateway, behind) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        await using (gateway)
        {
            using var anyone = new HttpClient { BaseAddress = new Uri(behind.GetProperty("url").GetString()!) };
            var row = FeatureJson.Of(ws.Rest, 0);
            Assert.Equal(HttpStatusCode.OK, (await anyone.PostAsync("/v1/models/spam/predict", new StringContent(row, Encoding.UTF8, "application/json"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anyone.GetAsync("/api/v1/runs")).StatusCode); // the rest still needs a token
        }
    }
}
