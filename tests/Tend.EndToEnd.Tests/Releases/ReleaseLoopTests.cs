using System.Text.Json;

namespace Tend.EndToEnd.Tests.Releases;

/// <summary>
/// The loop as a declared pipeline: new data → train → evaluate → gate → register → release. The release step starts a
/// judged release of the new version, automatically, within the policy's guardrails: nothing is retrained or released
/// again when nothing changed, the cap of releases per window and the cooldown refuse the next one (the pipeline still
/// succeeds, saying why), and a dry run judges on a shadow without moving traffic.
/// </summary>
public sealed class ReleaseLoopTests
{
    private const string Loop = """

        pipelines:
          - name: loop
            steps:
              - name: ingest
                ingest: data.csv
              - name: fit
                needs: [ingest]
                train: true
              - name: judge
                needs: [fit]
                evaluate: true
              - name: gate
                needs: [judge]
                gate: true
              - name: register
                needs: [gate]
                register: true
              - name: release
                needs: [register]
                release: true
        """;

    private static async Task<TestWorkspace> LoopAsync(string policy)
    {
        var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), policy + Loop);
        return ws;
    }

    /// <summary>The champion's data with <paramref name="rows"/> more rows: new data.</summary>
    private static void NewData(TestWorkspace ws, int rows) => ws.Write("data.csv", ws.History.Concat(ws.Rest.Select(Enumerable.Range(0, rows).ToArray())));

    private static async Task<(string Message, JsonElement Outputs)> ReleaseStepAsync(TestWorkspace ws)
    {
        var run = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "loop");
        Assert.Equal("succeeded", run.GetProperty("state").GetString());
        var step = run.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "release");
        return (step.GetProperty("message").GetString()!, step.GetProperty("outputs"));
    }

    [Fact]
    public async Task NewData_IsReleasedAutomatically_OnceInItsWindow()
    {
        using var ws = await LoopAsync("""

            release:
              steps: [10, 100]
              max_releases:
                releases: 1
                per: 1d
            """);
        NewData(ws, 200);
        var (message, outputs) = await ReleaseStepAsync(ws);
        Assert.Matches("^release rel_[0-9a-f]+ of v2: canary at 10%$", message);
        var release = await Cli.JsonAsync(ws.Dir, "release", "status", "spam");
        Assert.Equal((outputs.GetProperty("release").GetString(), true, "canary"),
            (release.GetProperty("id").GetString(), release.GetProperty("automatic").GetBoolean(), release.GetProperty("state").GetString()));
        Assert.Equal(10, (await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam")).GetProperty("deployment").GetProperty("canary_percent").GetDouble());

        // Nothing changed: the training is reused, so the same version, whose release goes on.
        Assert.Equal($"release {release.GetProperty("id").GetString()} of v2: canary at 10%", (await ReleaseStepAsync(ws)).Message);

        NewData(ws, 400); // new data, a new version: but one automatic release a day
        var (refused, made) = await ReleaseStepAsync(ws);
        Assert.StartsWith("v3 not released: spam had 1 automatic release(s) within 1.00:00:00 (release.max_releases allows 1)", refused);
        Assert.Equal("false", made.GetProperty("released").GetString());
        Assert.Equal(2, (await Cli.JsonAsync(ws.Dir, "release", "status", "spam")).GetProperty("challenger").GetInt32()); // v2's release goes on

        // A person may release v3 all the same: the newer challenger supersedes v2's release, and its analysis starts over.
        var v3 = await Cli.JsonAsync(ws.Dir, "release", "start", "spam", "3", "--reason", "the newest data");
        Assert.Equal((3, "canary", 0), (v3.GetProperty("challenger").GetInt32(), v3.GetProperty("state").GetString(), v3.GetProperty("step").GetInt32()));
        Assert.NotEqual(release.GetProperty("id").GetString(), v3.GetProperty("id").GetString());
        var superseded = (await Cli.JsonAsync(ws.Dir, "audit")).GetProperty("events").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "release.supersede");
        Assert.Contains("spam@3 arrived", superseded.GetProperty("reason").GetString());
        Assert.Equal(3, (await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam")).GetProperty("deployment").GetProperty("canary").GetInt32());
    }

    [Fact]
    public async Task ADryRun_JudgesOnAShadow_AndTheCooldownWaitsAfterARelease()
    {
        using var ws = await LoopAsync("""

            release:
              dry_run: true
              cooldown: 1h
              max_releases:
                releases: 5
                per: 1d
            """);
        NewData(ws, 200);
        var (message, _) = await ReleaseStepAsync(ws);
        Assert.EndsWith("v2: shadow at 5%", message);
        var deployment = (await Cli.JsonAsync(ws.Dir, "deploy", "status", "spam")).GetProperty("deployment");
        Assert.Equal((JsonValueKind.Null, 2), (deployment.GetProperty("canary").ValueKind, deployment.GetProperty("shadow").GetInt32())); // no request answered by it
        Assert.True((await Cli.JsonAsync(ws.Dir, "release", "status", "spam")).GetProperty("dry_run").GetBoolean());

        await Cli.JsonAsync(ws.Dir, "release", "abort", "spam", "--reason", "seen enough");
        NewData(ws, 400);
        Assert.Matches("^v3 not released: spam's last release ended at .+, within release.cooldown \\(01:00:00\\)", (await ReleaseStepAsync(ws)).Message);
    }
}
