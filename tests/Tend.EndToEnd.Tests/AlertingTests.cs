using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Identity;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

public class AlertingTests
{
    /// <summary>
    /// A spam campaign (spam only) against the training data fires the drift rule: the alert is written to stderr,
    /// posted to a real local listener (the first attempt answered 500, the retry 200), starts the lifecycle pipeline,
    /// and is stored. A second run within the cooldown only counts a repeat. Acknowledging it closes it (audited).
    /// </summary>
    [Fact]
    public async Task DriftAlert_ReachesTheWebhook_StartsAPipeline_AndIsAcknowledged()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        using var hook = new HookListener(_ => Task.FromResult(500), _ => Task.FromResult(200));
        ws.SetMonitor($"""
            monitor:
              alerts:
                - name: drift
                  when: dataset_drift
                  severity: critical
                  cooldown: 1h
                  retrain: true
                - name: accuracy
                  when: performance.value < 0.5
              webhook:
                {hook.Yaml}
                retries: 2
                timeout_seconds: 5
            """);
        var label = ws.Rest.IndexOf("type");
        var campaign = ws.Write("campaign.csv", new Table(ws.Rest.Columns, ws.Rest.Rows.Where(r => r[label] == "spam").Take(400).ToList()));

        var run = await Cli.RunAsync("monitor", "run", "--current", campaign, "--workspace", ws.Dir, "--json");
        Assert.True(run.Exit == 0, run.ToString());
        Assert.True(run.Json.GetProperty("dataset_drift").GetBoolean());
        Assert.Contains("ALERT critical alert 'drift' on spam: dataset_drift (value true)", run.Stderr);
        Assert.Equal(2, hook.Bodies.Count);
        Assert.All(hook.Signatures, s => Assert.StartsWith("v1=", s.Signature));
        var posted = JsonDocument.Parse(hook.Bodies.Last()).RootElement;
        Assert.Equal(("drift", "critical", run.Json.GetProperty("id").GetString()),
            (posted.GetProperty("rule").GetString(), posted.GetProperty("severity").GetString(), posted.GetProperty("report_id").GetString()));

        var alert = Assert.Single((await Cli.JsonAsync(ws.Dir, "alerts", "list")).EnumerateArray());
        var id = alert.GetProperty("id").GetString()!;
        Assert.Equal(["log delivered 1", "webhook delivered 2"], alert.GetProperty("deliveries").EnumerateArray()
            .Select(d => $"{d.GetProperty("channel").GetString()} {(d.GetProperty("delivered").GetBoolean() ? "delivered" : "failed")} {d.GetProperty("attempts").GetInt32()}"));
        var pipelines = (await Cli.JsonAsync(ws.Dir, "pipeline", "list")).GetProperty("pipelines").EnumerateArray().ToList();
        var retrain = Assert.Single(pipelines);
        Assert.Equal(("alert", alert.GetProperty("pipeline_run").GetString()), (retrain.GetProperty("trigger").GetString(), retrain.GetProperty("id").GetString()));

        var again = await Cli.RunAsync("monitor", "run", "--current", campaign, "--workspace", ws.Dir, "--json");
        Assert.True(again.Exit == 0, again.ToString());
        Assert.DoesNotContain("ALERT", again.Stderr);
        Assert.Equal(2, hook.Bodies.Count);
        Assert.Equal(2, (await Cli.JsonAsync(ws.Dir, "alerts", "list")).EnumerateArray().Single().GetProperty("occurrences").GetInt32());

        var acked = await Cli.JsonAsync(ws.Dir, "alerts", "ack", id, "--reason", "campaign known", "--as", "ops");
        Assert.Equal("ops", acked.GetProperty("acknowledged_by").GetString());
        Assert.Empty((await Cli.JsonAsync(ws.Dir, "alerts", "list")).EnumerateArray());
        Assert.Single((await Cli.JsonAsync(ws.Dir, "alerts", "list", "--all")).EnumerateArray());
        var twice = await Cli.RunAsync("alerts", "ack", id, "--workspace", ws.Dir);
        Assert.Equal(6, twice.Exit);
        var unknown = await Cli.RunAsync("alerts", "ack", "nosuch", "--workspace", ws.Dir);
        Assert.Equal(5, unknown.Exit);

        var audit = await Cli.RunAsync("audit", "--workspace", ws.Dir);
        Assert.Contains("alert.fire", audit.Stdout);
        Assert.Contains("alert.acknowledge", audit.Stdout);
    }

    /// <summary>
    /// tend serve runs the monitor on tend.yaml's schedule (every 2 seconds here, over a file) on the server's clock, a fake
    /// one moved by the test: the alert reaches the listener, shows in the Prometheus gauge and the REST API, and is
    /// acknowledged over HTTP; a run within the rule's cooldown only counts a repeat, and the first run after it alerts again.
    /// </summary>
    [Fact]
    public async Task ScheduledMonitor_InTheServer_Alerts_AndTheApiAcknowledges()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        using var hook = new HookListener(_ => Task.FromResult(200));
        var label = ws.Rest.IndexOf("type");
        var campaign = ws.Write("campaign.csv", new Table(ws.Rest.Columns, ws.Rest.Rows.Where(r => r[label] == "spam").Take(400).ToList()));
        ws.SetMonitor($"""
            monitor:
              schedule: "*/2 * * * * *"
              current: {campaign}
              alerts:
                - name: drift
                  when: dataset_drift
                  severity: critical
                  cooldown: 1h
              webhook:
                {hook.Yaml}
            """);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None, time: time);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            var tick = TimeSpan.FromSeconds(2);
            await Eventually.HoldsAsync(() =>
            {
                time.Advance(tick); // the next scheduled run is due
                return !hook.Bodies.IsEmpty;
            });
            Assert.Single(hook.Bodies);
            Assert.Contains("tend_alerts_open{model=\"spam\",rule=\"drift\",severity=\"critical\"} 1", await http.GetStringAsync("/metrics"));

            var open = JsonDocument.Parse(await http.GetStringAsync("/api/v1/alerts")).RootElement;
            var id = Assert.Single(open.EnumerateArray()).GetProperty("id").GetString();
            using var ops = await app.AsAsync(url, "ops", Role.Contributor, "spam");
            var acked = await ops.PostAsync($"/api/v1/alerts/{id}/ack?reason=known", null);
            Assert.Equal(System.Net.HttpStatusCode.OK, acked.StatusCode);
            Assert.Equal("ops", JsonDocument.Parse(await acked.Content.ReadAsStringAsync()).RootElement.GetProperty("acknowledged_by").GetString());
            Assert.Contains("tend_alerts_open{model=\"spam\",rule=\"drift\",severity=\"critical\"} 0", await http.GetStringAsync("/metrics"));
            Assert.Equal(System.Net.HttpStatusCode.Conflict, (await http.PostAsync($"/api/v1/alerts/{id}/ack", null)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync("/api/v1/alerts/nosuch/ack", null)).StatusCode);
            Assert.Empty(JsonDocument.Parse(await http.GetStringAsync("/api/v1/alerts")).RootElement.EnumerateArray());
            Assert.Single(JsonDocument.Parse(await http.GetStringAsync("/api/v1/alerts?all=true")).RootElement.EnumerateArray());

            async Task<int> OccurrencesAsync() =>
                JsonDocument.Parse(await http.GetStringAsync("/api/v1/alerts?all=true")).RootElement[0].GetProperty("occurrences").GetInt32();
            var seen = await OccurrencesAsync();
            await Eventually.HoldsAsync(async () =>
            {
                time.Advance(tick);
                return await OccurrencesAsync() > seen;
            });
            Assert.Single(hook.Bodies); // a run within the cooldown only counts a repeat

            time.Advance(TimeSpan.FromHours(1)); // the cooldown is over
            await Eventually.HoldsAsync(() =>
            {
                time.Advance(tick);
                return hook.Bodies.Count == 2;
            });
            Assert.Equal(2, JsonDocument.Parse(await http.GetStringAsync("/api/v1/alerts?all=true")).RootElement.GetArrayLength());
        }
    }
}

