using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Identity;
using Tend.EndToEnd.Tests.Access;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Server;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Releases;

/// <summary>
/// A release on a running server, steered with the real <c>tend</c> executable: four eyes before the first step, the
/// server's release host judging real HTTP traffic (routed by the hot swap) until it promotes; and pause, resume and
/// abort on the local store.
/// </summary>
public sealed class ReleaseServerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private const string Policy = """

        release:
          steps: [50, 100]
          bake: 1s
          min_requests: 40
          approval: required
        """;

    /// <summary>A champion (v1) and the same training again (v2), evaluated: a challenger every check passes.</summary>
    private static async Task<TestWorkspace> TwoVersionsAsync()
    {
        var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), Policy);
        await Cli.JsonAsync(ws.Dir, "models", "register", (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);
        await Cli.JsonAsync(ws.Dir, "evaluate", "spam@2");
        return ws;
    }

    [Fact]
    public async Task ARelease_ApprovedBySecondPerson_IsJudgedByTheServerOnLiveTraffic_UntilPromoted()
    {
        using var ws = await TwoVersionsAsync();
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            using var alice = new Person(await app.TokenAsync("alice", Role.Deployer, "spam"));
            using var bob = new Person(await app.TokenAsync("bob", Role.Deployer, "spam"));
            using var viewer = new Person(await app.TokenAsync("vera", Role.Viewer, "spam"));

            var started = await alice.JsonAsync("release", "start", "spam", "2", "--reason", "retrained", "--server", url);
            Assert.Equal(("approval", "50%"), (started.GetProperty("state").GetString(), Phase(started)));
            var self = await alice.TendAsync(null, "release", "approve", "spam", "--server", url);
            Assert.Equal(7, self.Exit);
            Assert.Contains("four eyes", self.Stderr);
            Assert.Equal(7, (await viewer.TendAsync(null, "release", "abort", "spam", "--server", url)).Exit); // a viewer steers nothing
            var approved = await bob.JsonAsync("release", "approve", "spam", "--reason", "looks right", "--server", url);
            Assert.Equal("canary", approved.GetProperty("state").GetString());
            var deployment = (await alice.JsonAsync("deploy", "status", "spam", "--server", url)).GetProperty("deployment");
            Assert.Equal((2, 50.0), (deployment.GetProperty("canary").GetInt32(), deployment.GetProperty("canary_percent").GetDouble()));

            // Traffic until the release host (every 10 s) has advanced to 100 % and promoted.
            var i = 0;
            JsonElement status = default;
            await Eventually.HoldsAsync(async () =>
            {
                for (var n = 0; n < 60; n++, i++)
                    (await http.PostAsync("/v1/models/spam/predict", new StringContent(FeatureJson.Of(ws.Rest, i % ws.Rest.Rows.Count, "type"), Encoding.UTF8, "application/json")))
                        .EnsureSuccessStatusCode();
                status = await viewer.JsonAsync("release", "status", "spam", "--server", url);
                return status.GetProperty("state").GetString() == "promoted";
            });
            var actions = status.GetProperty("decisions").EnumerateArray().Select(d => (d.GetProperty("action").GetString(), d.GetProperty("actor").GetString())).ToList();
            Assert.Equal(("start", "alice"), actions[0]);
            Assert.Equal(("approve", "bob"), actions[1]);
            Assert.Contains(("advance", "tend-release"), actions);
            Assert.Equal(("promote", "tend-release"), actions[^1]);
            Assert.Equal(2, (await alice.JsonAsync("models", "show", "spam@champion", "--server", url)).GetProperty("version").GetInt32());
            var routes = (await alice.JsonAsync("deploy", "status", "spam", "--server", url)).GetProperty("deployment");
            Assert.Equal(JsonValueKind.Null, routes.GetProperty("canary").ValueKind);

            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("tend_release_state{model=\"spam\",state=\"promoted\"} 1", metrics);
            Assert.Contains("tend_release_state{model=\"spam\",state=\"canary\"} 0", metrics);
            Assert.Contains("tend_release_challenger_percent{model=\"spam\",version=\"2\"} 0", metrics);
            Assert.Contains("tend_release_check_verdict{model=\"spam\",check=\"agreement\"} 1", metrics);
        }
    }

    [Fact]
    public async Task PauseResumeAbort_OnTheLocalStore_EachAuditedAndTheTrafficFollows()
    {
        using var ws = await TwoVersionsAsync();
        File.WriteAllText(Path.Combine(ws.Dir, "tend.yaml"), File.ReadAllText(Path.Combine(ws.Dir, "tend.yaml")).Replace("approval: required", "approval: auto"));
        Assert.Equal("canary", (await Cli.JsonAsync(ws.Dir, "release", "start", "spam", "2")).GetProperty("state").GetString());
        var again = await Cli.RunAsync("release", "start", "spam", "1", "--reason", "the champion", "--workspace", ws.Dir);
        Assert.Equal(2, again.Exit);
        Assert.Contains("spam@1 is the champion already", again.Stderr);
        Assert.Equal("paused", (await Cli.JsonAsync(ws.Dir, "release", "pause", "spam", "--reason", "holiday")).GetProperty("state").GetString());
        Assert.Equal(2, (await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam")).GetProperty("deployment").GetProperty("canary").GetInt32()); // traffic stays
        var paused = await Cli.RunAsync("release", "pause", "spam", "--workspace", ws.Dir);
        Assert.Equal(6, paused.Exit);
        Assert.Contains("a paused release cannot be paused", paused.Stderr);
        Assert.Equal("canary", (await Cli.JsonAsync(ws.Dir, "release", "resume", "spam")).GetProperty("state").GetString());
        var aborted = await Cli.JsonAsync(ws.Dir, "release", "abort", "spam", "--reason", "wrong data");
        Assert.Equal("aborted", aborted.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, (await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam")).GetProperty("deployment").GetProperty("canary").ValueKind);
        var text = await Cli.RunAsync("release", "status", "spam", "--workspace", ws.Dir);
        Assert.Contains("spam@2 against champion v1: aborted at 50%", text.Stdout);
        Assert.Contains("abort", text.Stdout);
        var audit = (await Cli.JsonAsync(ws.Dir, "audit")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["release.start", "release.pause", "release.resume", "release.abort"], audit.Where(a => a!.StartsWith("release.", StringComparison.Ordinal)));
        Assert.Equal(5, (await Cli.RunAsync("release", "resume", "spam", "--workspace", ws.Dir)).Exit); // nothing active: not found
    }

    [Fact]
    public async Task TheChampionMovingOutsideTheRelease_EndsIt()
    {
        using var ws = await TwoVersionsAsync();
        File.WriteAllText(Path.Combine(ws.Dir, "tend.yaml"), File.ReadAllText(Path.Combine(ws.Dir, "tend.yaml")).Replace("approval: required", "approval: auto"));
        await Cli.JsonAsync(ws.Dir, "release", "start", "spam", "2");
        await Cli.JsonAsync(ws.Dir, "models", "promote", "spam", "2", "--reason", "could not wait");
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        using var releases = new ReleaseController(workspace);
        var ended = (await releases.TickAsync("spam", Ct))!;
        Assert.Equal((ReleaseState.Promoted, "end"), (ended.State, ended.Decisions[^1].Action));
        Assert.Equal("v2 was made champion outside the release", ended.Decisions[^1].Reason);
        Assert.Equal(JsonValueKind.Null, (await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam")).GetProperty("deployment").GetProperty("canary").ValueKind);
    }

    private static string Phase(JsonElement release)
    {
        var step = release.GetProperty("step").GetInt32();
        return step < 0 ? "shadow" : $"{release.GetProperty("steps")[step].GetProperty("percent").GetDouble():0.##}%";
    }
}
