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
        await using var issuer = await OidcIssuer.StartAsync();
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
}
