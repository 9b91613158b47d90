using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Server;
using Tend.Serving;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>Canary and shadow beside the champion, set with the CLI, served over real HTTP, reported by status, promoted and rolled back.</summary>
public class DeploymentTests
{
    [Fact]
    public async Task Canary_TakesItsShare_StickyPerKey_Shadow_IsLoggedNeverReturned_PromoteAndRollback()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("seed: 42", "seed: 7"));
        await Cli.JsonAsync(ws.Dir, "models", "register", (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);
        await Cli.RunAsync("evaluate", "spam@2", "--workspace", ws.Dir);

        Assert.Equal(2, (await Cli.RunAsync("deploy", "spam", "--canary", "1", "--percent", "10", "--workspace", ws.Dir)).Exit); // the champion itself
        Assert.Equal(2, (await Cli.RunAsync("deploy", "spam", "--canary", "2", "--workspace", ws.Dir)).Exit); // no share
        Assert.Equal(5, (await Cli.RunAsync("deploy", "spam", "--canary", "9", "--percent", "10", "--workspace", ws.Dir)).Exit);
        var deployed = await Cli.JsonAsync(ws.Dir, "deploy", "spam", "--canary", "2", "--percent", "30", "--reason", "try seed 7");
        Assert.Equal(2, deployed.GetProperty("canary").GetInt32());

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None, time: time);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            async Task<JsonElement> Predict(int row, string? key = null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/spam/predict")
                { Content = new StringContent(FeatureJson.Of(ws.Rest, row % ws.Rest.Rows.Count, "type"), Encoding.UTF8, "application/json") };
                if (key is not null)
                    request.Headers.Add("X-Tend-Routing-Key", key);
                var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            }

            var answers = new List<JsonElement>();
            for (var i = 0; i < 400; i++)
                answers.Add(await Predict(i));
            var canary = answers.Count(a => a.GetProperty("route").GetString() == "canary");
            Assert.InRange(canary, 80, 160); // 30% of 400 is 120; ±4.4 binomial standard deviations
            Assert.All(answers, a => Assert.Equal(a.GetProperty("route").GetString() == "canary" ? 2 : 1, a.GetProperty("version").GetInt32()));

            var sticky = new List<string>();
            for (var i = 0; i < 10; i++)
                sticky.Add((await Predict(i, "customer-42")).GetProperty("route").GetString()!);
            Assert.Single(sticky.Distinct());
            var keyed = new List<string>();
            for (var i = 0; i < 300; i++)
                keyed.Add((await Predict(i, $"customer-{i}")).GetProperty("route").GetString()!);
            Assert.InRange(keyed.Count(r => r == "canary"), 50, 130);

            // The shadow: version 2 scores a copy of each request; answers still come from the champion.
            await Cli.JsonAsync(ws.Dir, "deploy", "rollback", "spam", "--reason", "canary seen");
            await Cli.JsonAsync(ws.Dir, "deploy", "spam", "--shadow", "2", "--reason", "watch seed 7");
            time.Advance(ModelHost.AliasRefresh + TimeSpan.FromMilliseconds(1)); // the host reads the deployment again
            var shadowed = new List<JsonElement>();
            for (var i = 0; i < 60; i++)
                shadowed.Add(await Predict(i));
            Assert.All(shadowed, a => Assert.Equal(("primary", 1), (a.GetProperty("route").GetString(), a.GetProperty("version").GetInt32())));
            var ids = shadowed.Select(a => a.GetProperty("predictions")[0].GetProperty("request_id").GetString()!).ToList();
            var labels = ids.Select((id, i) => new { request_id = id, label = ws.Rest.Rows[i][ws.Rest.IndexOf("type")] }).ToList();
            var shadow = app.Services.GetRequiredService<ShadowScorer>();
            await Eventually.HoldsAsync(() => shadow.Pending == 0); // every copy scored and logged
            (await http.PostAsJsonAsync("/v1/feedback", labels)).EnsureSuccessStatusCode(); // flushes the log first
            var logged = (await app.Services.GetRequiredService<MonitoringService>().PredictionsAsync("spam", null, null, CancellationToken.None)).ToDictionary(p => p.RequestId);
            Assert.All(ids, id => Assert.Equal(("shadow", 2), (logged[id + ".shadow"].Route, logged[id + ".shadow"].Version)));

            var status = await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam");
            var comparison = status.GetProperty("shadow");
            Assert.Equal(60, comparison.GetProperty("compared").GetInt32());
            Assert.InRange(comparison.GetProperty("agreement").GetDouble(), 0.5, 1.0);
            Assert.Equal(60, comparison.GetProperty("with_feedback").GetInt32());
            Assert.Equal("accuracy", comparison.GetProperty("metric").GetString());
            var routes = status.GetProperty("routes").EnumerateArray().ToDictionary(r => (r.GetProperty("route").GetString(), r.GetProperty("version").GetInt32()));
            Assert.Equal(1.0, routes.Values.Sum(r => r.GetProperty("share").GetDouble()), 9);
            Assert.True(routes.ContainsKey(("canary", 2)));
            var rest = await http.GetFromJsonAsync<JsonElement>("/api/v1/deployments/spam");
            Assert.Equal(60, rest.GetProperty("shadow").GetProperty("compared").GetInt32());

            // Promoting the canary makes it the champion (its gates apply) and ends the canary.
            await Cli.JsonAsync(ws.Dir, "deploy", "spam", "--canary", "2", "--percent", "10", "--reason", "again");
            var promoted = await Cli.RunAsync("deploy", "promote-canary", "spam", "--reason", "it is as good", "--force", "--workspace", ws.Dir, "--json");
            Assert.True(promoted.Exit == 0, promoted.ToString());
            Assert.Equal("done", promoted.Json.GetProperty("status").GetString());
            var after = await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam");
            Assert.Equal(2, after.GetProperty("champion").GetInt32());
            Assert.Equal(JsonValueKind.Null, after.GetProperty("deployment").GetProperty("canary").ValueKind);
            time.Advance(ModelHost.AliasRefresh + TimeSpan.FromMilliseconds(1));
            Assert.Equal(2, (await Predict(0)).GetProperty("version").GetInt32());
        }
        var lineage = await Cli.JsonAsync(ws.Dir, "lineage", "spam@2");
        var roles = lineage.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("role").ValueKind == JsonValueKind.Null ? "ended" : d.GetProperty("role").GetString()).ToList();
        Assert.Equal(["canary", "ended", "shadow", "canary", "shadow"], roles); // set, rolled back, shadowed, canary again (shadow kept), promoted: the canary ends, the shadow stays
        var audit = await Cli.JsonAsync(ws.Dir, "audit", "--subject", "spam@deployment");
        Assert.True(audit.GetProperty("events").GetArrayLength() >= 5, audit.ToString());
    }

    [Fact]
    public async Task DeploymentDeclaredInTendYaml_IsSetByDeployApply_AndByAStartingServer()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        Assert.Equal(2, (await Cli.RunAsync("deploy", "apply", "--workspace", ws.Dir)).Exit); // nothing declared yet
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("seed: 42", "seed: 7"));
        await Cli.JsonAsync(ws.Dir, "models", "register", (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);
        File.AppendAllText(yaml, "\ndeploy:\n  canary: 2\n  canary_percent: 25\n  shadow: champion\n  unknown_fields: reject\n");

        var applied = await Cli.JsonAsync(ws.Dir, "deploy", "apply");
        Assert.True(applied.GetProperty("changed").GetBoolean());
        var deployment = applied.GetProperty("deployment");
        Assert.Equal((2, 25.0), (deployment.GetProperty("canary").GetInt32(), deployment.GetProperty("canary_percent").GetDouble()));
        Assert.Equal(JsonValueKind.Null, deployment.GetProperty("shadow").ValueKind); // the champion cannot shadow itself: left out, with a note
        Assert.Contains("spam@champion is the champion now", applied.GetProperty("notes")[0].GetString());
        Assert.False((await Cli.JsonAsync(ws.Dir, "deploy", "apply")).GetProperty("changed").GetBoolean()); // as declared already: no change, no audit

        await Cli.JsonAsync(ws.Dir, "deploy", "rollback", "spam");
        var (server, started) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        await using (server)
        {
            using var http = TendProcess.Client(started.GetProperty("url").GetString()!);
            var status = await http.GetFromJsonAsync<JsonElement>("/api/v1/deployments/spam");
            Assert.Equal(2, status.GetProperty("deployment").GetProperty("canary").GetInt32());
            var withId = FeatureJson.Of(ws.Rest, 0, "type").TrimEnd('}') + ", \"customer_id\": \"c-17\"}";
            var refused = await http.PostAsync("/v1/models/spam/predict", new StringContent(withId, Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode); // deploy.unknown_fields: reject
            Assert.Contains("field 'customer_id' is not a feature of the model", await refused.Content.ReadAsStringAsync());
        }
        var actions = (await Cli.JsonAsync(ws.Dir, "audit", "--subject", "spam@deployment")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["deployment.apply", "deployment.rollback", "deployment.apply"], actions);
    }
}
