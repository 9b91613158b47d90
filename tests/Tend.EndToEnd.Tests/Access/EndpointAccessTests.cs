using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Domain;
using Tend.Core.Identity;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Server;
using Tend.Server.Access;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Access;

/// <summary>
/// Every endpoint in the routing table, none forgotten: each declares who may call it; without credentials each that
/// is not public is refused (401, or a browser sent to sign in), and with a role too weak for it each is forbidden (403).
/// </summary>
public sealed class EndpointAccessTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task EveryEndpoint_DeclaresItsAccess_AndIsRefusedWithoutCredentials_AndWithARoleTooWeak()
    {
        using var ws = new TestWorkspace();
        var runId = await ws.WithChampionAsync();
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var approval = new ApprovalRequest("req0001", "spam", 1, "challenger", "alice", "to compare", DateTimeOffset.UtcNow);
        await workspace.Store.Approvals.AddAsync(approval, new AuditEntry("alice", "approval.request", "spam@challenger", "test"), Ct);
        var alert = new Alert("alert0001", "drift", AlertSeverity.Critical, DateTimeOffset.UtcNow, "report", "spam", "dataset_drift", "true", "drifted");
        await workspace.Store.Alerts.SaveAsync(alert, null, Ct);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var admin = await app.AdminAsync(url);
            var evaluation = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/evaluations?run={runId}")).RootElement[0].GetProperty("id").GetString()!;
            var dataset = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/datasets")).RootElement[0];
            var datasetRef = $"{dataset.GetProperty("name").GetString()}@{dataset.GetProperty("version").GetString()![..12]}";
            var token = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/tokens")).RootElement[0].GetProperty("id").GetString()!;
            var ids = new Dictionary<string, string> { ["runs"] = runId, ["approvals"] = approval.Id, ["alerts"] = alert.Id, ["evaluations"] = evaluation, ["tokens"] = token };
            var values = new Dictionary<string, string>
            {
                ["name"] = "spam", ["model"] = "spam", ["project"] = "spam", ["pipeline"] = "nightly", ["reference"] = "spam@1", ["version"] = "1", ["dataset"] = datasetRef,
                ["other"] = datasetRef, ["action"] = "pause", ["key"] = "auc", ["path"] = "model", ["subject"] = "bob", ["role"] = "viewer", ["id"] = runId,
            };

            using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
            var weak = new Dictionary<(AccessScope, Permission), HttpClient>();
            var checkedCount = new Dictionary<AccessScope, int>();
            var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
            Assert.True(endpoints.Count > 70, $"only {endpoints.Count} endpoints in the routing table");
            var undeclared = endpoints.Where(e => e.Metadata.GetMetadata<EndpointAccess>() is null).Select(e => e.RoutePattern.RawText).ToList();
            Assert.True(undeclared.Count == 0, $"endpoints that declare no access: {string.Join(", ", undeclared)}");

            foreach (var endpoint in endpoints)
            {
                var access = endpoint.Metadata.GetMetadata<EndpointAccess>()!;
                checkedCount[access.Scope] = checkedCount.GetValueOrDefault(access.Scope) + 1;
                if (access.Scope == AccessScope.Public)
                    continue;
                var path = Fill(endpoint.RoutePattern.RawText!, values, ids) + $"?run={runId}";
                foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                {
                    var what = $"{method} {path} ({access})";
                    using var refused = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                    var page = endpoint.Metadata.GetMetadata<SessionPage>() is not null && method == "GET" && refused.StatusCode == HttpStatusCode.Redirect;
                    Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized || page, $"{what} without credentials: {(int)refused.StatusCode}");
                    if (page)
                        Assert.StartsWith("/signin?return=", refused.Headers.Location!.OriginalString);
                    if (access.Scope == AccessScope.SignedIn)
                        continue; // anyone proven may: no role is too weak
                    var client = weak.TryGetValue((access.Scope, access.Permission), out var known) ? known
                        : weak[(access.Scope, access.Permission)] = await WeakAsync(app, url, access);
                    using var forbidden = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                    Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden, $"{what} with a role too weak: {(int)forbidden.StatusCode} {await forbidden.Content.ReadAsStringAsync()}");
                }
            }
            Assert.True(checkedCount[AccessScope.Project] > 40 && checkedCount[AccessScope.AnyProject] >= 8 && checkedCount[AccessScope.Everywhere] >= 3,
                string.Join(", ", checkedCount.Select(c => $"{c.Key}: {c.Value}")));
            foreach (var client in weak.Values)
                client.Dispose();
        }
    }

    /// <summary>docs/security.md's table of who may call what is the routing table's, written out: a change to either shows in the other.</summary>
    [Fact]
    public async Task TheSecurityDocsTable_IsTheRoutingTables()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        await using var app = TendServer.Build(workspace, "127.0.0.1", 0);
        var rows = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null && !e.RoutePattern.RawText!.Contains('.'))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m =>
                (Path: "/" + e.RoutePattern.RawText!.Trim('/'), Method: m, Access: (e.Metadata.GetMetadata<EndpointAccess>() ?? EndpointAccess.Undeclared).ToString())))
            .Distinct().OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .Select(r => $"| {r.Method} | `{r.Path}` | {r.Access} |");
        var table = string.Join('\n', ["| method | path | who may call it |", "|---|---|---|", .. rows]);
        var doc = File.ReadAllText(Path.Combine(TendProcess.Repository, "docs", "security.md"));
        var written = Regex.Match(doc, "<!-- endpoints -->\n(.*?)\n<!-- /endpoints -->", RegexOptions.Singleline).Groups[1].Value;
        Assert.True(written == table, $"docs/security.md's endpoint table differs from the routing table; it should read:\n{table}");
    }

    /// <summary>
    /// A caller whose roles fall just short: in the project (spam), every role that lacks the permission, and admin of
    /// another project; for what spans projects, admin of spam alone; for a list of any project's, nothing that holds it.
    /// </summary>
    private static async Task<HttpClient> WeakAsync(WebApplication app, string url, EndpointAccess access)
    {
        var subject = $"weak-{access.Scope}-{access.Permission}".ToLowerInvariant();
        var lacking = Enum.GetValues<Role>().Where(r => !r.Permissions().Contains(access.Permission)).ToList();
        List<(string, Role)> grants = access.Scope switch
        {
            AccessScope.Everywhere => [("spam", Role.Admin)],
            AccessScope.AnyProject => [.. lacking.Select(r => ("spam", r))],
            _ => [.. lacking.Select(r => ("spam", r)), ("other", Role.Admin)],
        };
        return TendProcess.Client(url, await app.TokenAsync(subject, grants));
    }

    /// <summary>A route pattern with its parameters filled in: an id by the group it is in (a run's, an alert's…), the rest by name.</summary>
    private static string Fill(string pattern, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> ids) =>
        System.Text.RegularExpressions.Regex.Replace(pattern.StartsWith('/') ? pattern : "/" + pattern, @"\{\**([a-z_]+)(:[^}]*)?\}", m =>
        {
            var name = m.Groups[1].Value;
            if (name == "id" && ids.FirstOrDefault(i => pattern.Contains($"/{i.Key}/", StringComparison.Ordinal)) is { Value: { } id })
                return Uri.EscapeDataString(id);
            return Uri.EscapeDataString(values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"no value for {{{name}}} in {pattern}"));
        });
}
