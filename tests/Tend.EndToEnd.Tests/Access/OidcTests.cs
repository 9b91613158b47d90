using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Server;
using Tend.Server.Access;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Access;

/// <summary>
/// Tokens from a real OpenID Connect issuer (tests/oidc: oauth2-mock-server, RS256, its keys from its JWKS): the caller is
/// the token's subject, their roles its claim's; four eyes holds between two such identities; a token for another
/// audience, or altered, proves no one.
/// </summary>
public sealed class OidcTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task AnIssuersTokens_ProveTheirSubject_WithTheRolesTheirClaimCarries()
    {
        await using var issuer = await Issuer.StartAsync();
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\napproval: required\n");
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var access = new ServerAccess(Oidc: new IdentityProvider(issuer.Url, "tend"));
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct, access: access);
        await using (app)
        {
            using var alice = TendProcess.Client(url, await issuer.TokenAsync("alice", "spam:deployer spam:approver"));
            using var carol = TendProcess.Client(url, await issuer.TokenAsync("carol", "spam:approver"));

            var me = JsonDocument.Parse(await alice.GetStringAsync("/api/v1/whoami")).RootElement;
            Assert.Equal("alice", me.GetProperty("name").GetString());
            Assert.Equal($"oidc {issuer.Url}", me.GetProperty("via").GetString());
            Assert.Equal(["spam deployer", "spam approver"], me.GetProperty("grants").EnumerateArray().Select(g => $"{g.GetProperty("project").GetString()} {g.GetProperty("role").GetString()}"));

            // Four eyes between two identities the provider vouches for: alice asks, alice cannot approve, carol can.
            var asked = await alice.PostAsJsonAsync("/api/v1/models/spam/promote", new { version = 1, alias = "champion", reason = "again", force = false });
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            var request = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString();
            var self = await alice.PostAsJsonAsync($"/api/v1/approvals/{request}/approve", new { reason = "me" });
            Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
            Assert.Contains("four eyes", await self.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Forbidden, (await carol.PostAsJsonAsync("/api/v1/models/spam/rollback", new { reason = "not mine" })).StatusCode); // an approver does not deploy
            var approved = await carol.PostAsJsonAsync($"/api/v1/approvals/{request}/approve", new { reason = "checked" });
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            var decided = JsonDocument.Parse(await alice.GetStringAsync("/api/v1/approvals?status=approved")).RootElement.EnumerateArray().Single();
            Assert.Equal(("alice", "carol"), (decided.GetProperty("requester").GetString(), decided.GetProperty("decider").GetString()));

            // A token for another audience, an altered one, or none of this issuer's: no one.
            using var elsewhere = TendProcess.Client(url, await issuer.TokenAsync("alice", "*:admin", audience: "another-app"));
            var wrongAudience = await elsewhere.GetAsync("/api/v1/whoami");
            Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
            Assert.Contains("not for audience 'tend'", await wrongAudience.Content.ReadAsStringAsync());
            var token = await issuer.TokenAsync("carol", "spam:approver");
            var parts = token.Split('.');
            var forged = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new { sub = "carol", aud = "tend", iss = issuer.Url, tend_roles = new[] { "*:admin" } }))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using var altered = TendProcess.Client(url, $"{parts[0]}.{forged}.{parts[2]}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await altered.GetAsync("/api/v1/whoami")).StatusCode);
            using var garbage = TendProcess.Client(url, "not.a.jwt");
            Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/v1/whoami")).StatusCode);
            // The server's own tokens still work beside the provider's.
            using var admin = await app.AdminAsync(url);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/whoami")).StatusCode);
        }
    }

    /// <summary>tests/oidc/issuer.js under node: a real issuer on 127.0.0.1, stopped when disposed.</summary>
    private sealed class Issuer : IAsyncDisposable
    {
        private readonly Process _node;
        private readonly HttpClient _http = new();

        private Issuer(Process node, string url) => (_node, Url) = (node, url);

        public string Url { get; }

        public static async Task<Issuer> StartAsync()
        {
            var folder = Path.Combine(TendProcess.Repository, "tests", "oidc");
            Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "oauth2-mock-server")), "tests/oidc has no node_modules: scripts/test.sh installs them (npm ci --prefix tests/oidc)");
            var node = Process.Start(new ProcessStartInfo("node", ["issuer.js"])
            {
                WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var url = await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"the issuer did not start: {await node.StandardError.ReadToEndAsync()}");
            return new Issuer(node, url.Trim());
        }

        /// <summary>A token for <paramref name="subject"/> whose roles claim holds <paramref name="roles"/> (space-separated PROJECT:ROLE).</summary>
        public async Task<string> TokenAsync(string subject, string roles, string audience = "tend")
        {
            using var answer = await _http.PostAsync($"{Url}/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "tests", ["sub"] = subject, ["roles"] = roles, ["aud"] = audience,
            }));
            answer.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
            _node.Dispose();
        }
    }
}
