using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Registry;
using Xunit.Abstractions;

namespace Tend.EndToEnd.Tests.Releases;

/// <summary>
/// The release simulation on the credit data (tests/data/credit_data.csv, ../shared/datasets): four challengers released
/// in turn against the champion, under replayed traffic on a fake clock. A better model is promoted through every step;
/// one trained on corrupted labels is rolled back at the first step on label-free evidence, before any label comes
/// back; one that serves slower than its budget is rolled back on latency; one with too little traffic holds, then
/// meets its deadline. It prints how many requests and how much (simulated) time each decision took, and how long the
/// judging itself took (bench/README.md quotes it).
/// </summary>
public sealed class ReleaseSimulationTests(ITestOutputHelper output)
{
    private static readonly string CreditCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    private const string Policy = """

        protected_attributes: [Marital]
        release:
          steps: [5, 25, 50, 100]
          bake: 10m
          min_requests: 100
          deadline: 1h
          on_deadline: rollback
        """;

    [Fact]
    public async Task Releases_PromoteTheGood_RollBackTheCorruptedAndTheSlow_AndTheStarvedMeetTheirDeadline()
    {
        using var dir = new TestWorkspace();
        var credit = CsvReader.ReadFile(CreditCsv);
        var order = Enumerable.Range(0, credit.Rows.Count).ToArray();
        new Random(7).Shuffle(order);
        var half = dir.Write("half.csv", credit.Select(order[..(order.Length / 2)]));
        var full = dir.Write("full.csv", credit);
        var status = credit.IndexOf("Status");
        var flip = new Random(3);
        var corrupted = dir.Write("corrupted.csv", new Table(credit.Columns,
            credit.Rows.Select(r => r.Select((c, i) => i == status && flip.NextDouble() < 0.25 ? (c == "good" ? "bad" : "good") : c).ToArray()).ToList()));

        Assert.Equal(0, (await Cli.RunAsync("init", dir.Dir, "--task", "binary", "--label", "Status", "--data", half, "--name", "credit")).Exit);
        var yaml = Path.Combine(dir.Dir, "tend.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("bar: 0.75", "bar: 0.55") + Policy);
        async Task<int> TrainAsync(string csv)
        {
            var added = await Cli.JsonAsync(dir.Dir, "data", "add", csv);
            var data = added.GetProperty("dataset").GetString() + "@" + added.GetProperty("version").GetString()![..12];
            var run = (await Cli.JsonAsync(dir.Dir, "train", "--data", data)).GetProperty("run_id").GetString()!;
            return (await Cli.JsonAsync(dir.Dir, "models", "register", run)).GetProperty("version").GetInt32();
        }
        var champion = await TrainAsync(half);
        await Cli.JsonAsync(dir.Dir, "evaluate", $"credit@{champion}");
        await Cli.JsonAsync(dir.Dir, "models", "promote", "credit", $"{champion}", "--reason", "first", "--force");
        var good = await TrainAsync(full);
        var noisy = await TrainAsync(corrupted);
        var slow = await TrainAsync(full);

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await Workspace.OpenAsync(dir.Dir, CancellationToken.None, "release-bot", time);
        using var releases = new ReleaseController(ws);
        using var replay = new TrafficReplay(ws, time, credit.Select(order), "Status");
        var ct = CancellationToken.None;

        // A better model (all the data, against the champion's half): promoted through every step.
        await Cli.JsonAsync(dir.Dir, "evaluate", $"credit@{good}");
        await releases.StartAsync("credit", good, "trained on all the data", automatic: false, ct);
        var promoted = await replay.RunAsync(releases, "credit", 60, TimeSpan.FromHours(3));
        Report("good", promoted, replay);
        Assert.Equal(ReleaseState.Promoted, promoted.State);
        Assert.Equal(["start", "advance", "advance", "advance", "promote"], promoted.Decisions.Select(d => d.Action).Where(a => a is not ("hold" or "bake")));
        Assert.Equal(good, (await ws.Store.Models.GetAliasAsync("credit", ModelRegistry.Champion, ct))!.Version);
        Assert.Contains(promoted.Decisions, d => d.Checks.Any(c => c.Name == ReleaseChecks.Realized && c.Verdict == CheckVerdict.Pass));
        Assert.All(promoted.Decisions.Where(d => d.Action is "advance" or "promote"), d => Assert.DoesNotContain(d.Checks, c => c.Critical && c.Verdict != CheckVerdict.Pass));
        Assert.Equal(Deployment.PrimaryOnly("credit") with { Updated = default, Actor = "" }, await DeploymentAsync(ws));

        // Trained on labels 25 % flipped; its offline gate passed on an equally corrupted holdout. No label comes back for hours.
        replay.FeedbackLag = TimeSpan.FromHours(6);
        await Cli.JsonAsync(dir.Dir, "evaluate", $"credit@{noisy}");
        await releases.StartAsync("credit", noisy, "retrained on the newest labels", automatic: false, ct);
        var rolledBack = await replay.RunAsync(releases, "credit", 60, TimeSpan.FromHours(3));
        Report("corrupted labels", rolledBack, replay);
        Assert.Equal(ReleaseState.RolledBack, rolledBack.State);
        var decision = rolledBack.Decisions[^1];
        Assert.Equal(("rollback", "5%"), (decision.Action, decision.Phase));
        var estimated = Assert.Single(decision.Checks, c => c.Name == ReleaseChecks.Estimated);
        Assert.Equal(CheckVerdict.Fail, estimated.Verdict);
        Assert.True(estimated.Challenger < estimated.Champion - 0.01 && estimated.High < 0, $"{estimated}");
        Assert.DoesNotContain(decision.Checks, c => c.Name == ReleaseChecks.Realized);
        Assert.Equal(good, (await ws.Store.Models.GetAliasAsync("credit", ModelRegistry.Champion, ct))!.Version);
        Assert.Equal(Deployment.PrimaryOnly("credit") with { Updated = default, Actor = "" }, await DeploymentAsync(ws));
        var alert = Assert.Single(await ws.Store.Alerts.ListAsync(ct), a => a.ReportId == rolledBack.Id);
        Assert.Equal(ReleaseController.AlertRule, alert.Rule);
        Assert.Contains(ReleaseChecks.Estimated, alert.Value);

        // The same model as the champion, 25 ms slower to serve: every model check passes, latency does not.
        replay.FeedbackLag = TimeSpan.FromMinutes(5);
        replay.Delay[slow] = 25;
        await Cli.JsonAsync(dir.Dir, "evaluate", $"credit@{slow}");
        await releases.StartAsync("credit", slow, "same data, new serving stack", automatic: false, ct);
        var tooSlow = await replay.RunAsync(releases, "credit", 60, TimeSpan.FromHours(3));
        Report("slow", tooSlow, replay);
        Assert.Equal(ReleaseState.RolledBack, tooSlow.State);
        var latency = Assert.Single(tooSlow.Decisions[^1].Checks, c => c.Name == ReleaseChecks.Latency);
        Assert.Equal(CheckVerdict.Fail, latency.Verdict);
        Assert.Equal(1, Assert.Single(tooSlow.Decisions[^1].Checks, c => c.Name == ReleaseChecks.Agreement).Challenger);
        Assert.StartsWith($"critical check {ReleaseChecks.Latency} failed", tooSlow.Decisions[^1].Reason);

        // Fast again, but 20 requests a minute: 1 a minute at 5 %, so 100 take longer than the 1 h deadline.
        replay.Delay.Clear();
        await releases.StartAsync("credit", slow, "again, on a quiet day", automatic: false, ct);
        var starved = await replay.RunAsync(releases, "credit", 20, TimeSpan.FromHours(3));
        Report("low traffic", starved, replay);
        Assert.Equal(ReleaseState.RolledBack, starved.State);
        Assert.Contains(starved.Decisions, d => d.Action == "hold" && d.Reason.StartsWith("not enough data", StringComparison.Ordinal));
        Assert.StartsWith("deadline: not enough data", starved.Decisions[^1].Reason);
        Assert.InRange(starved.Decisions[^1].Time - starved.Started, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        var audit = (await ws.Store.Audit.ListAsync(ct)).Select(e => e.Action).Where(a => a.StartsWith("release.", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, audit.Count(a => a == "release.start"));
        Assert.Equal(3, audit.Count(a => a == "release.rollback"));
        Assert.Single(audit, a => a == "release.promote");

        // A dry run with a shadow phase: every step judged on the shadow's copies of the requests, no request answered by the challenger.
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("  on_deadline: rollback", "  on_deadline: rollback\n  dry_run: true\n  shadow:\n    duration: 20m\n    min_requests: 100"));
        await using var dry = await Workspace.OpenAsync(dir.Dir, CancellationToken.None, "release-bot", time);
        using var dryReleases = new ReleaseController(dry);
        using var dryReplay = new TrafficReplay(dry, time, credit.Select(order), "Status", ids: "dry");
        await dryReleases.StartAsync("credit", slow, "would it pass?", automatic: false, ct);
        var judged = await dryReplay.RunAsync(dryReleases, "credit", 60, TimeSpan.FromHours(3));
        Report("dry run", judged, dryReplay);
        Assert.Equal(ReleaseState.Judged, judged.State);
        Assert.Equal(["shadow", "5%", "25%", "50%", "100%"], judged.Decisions.Where(d => d.Action is "advance" or "promote").Select(d => d.Phase));
        Assert.StartsWith("dry run, would promote", judged.Decisions[^1].Reason);
        Assert.Equal(good, (await dry.Store.Models.GetAliasAsync("credit", ModelRegistry.Champion, ct))!.Version);
        Assert.Equal(Deployment.PrimaryOnly("credit") with { Updated = default, Actor = "" }, await DeploymentAsync(dry));
        Assert.DoesNotContain(await dry.Store.Predictions.ListAsync("credit", judged.Started, null, ct), r => r.Route == Deployment.CanaryRoute);
    }

    private static async Task<Deployment> DeploymentAsync(Workspace ws) =>
        (await ws.Deployments.GetAsync("credit", CancellationToken.None)) with { Updated = default, Actor = "" };

    /// <summary>Each decision: when (since the step began), on how many of the challenger's requests, and why; and how long judging took so far.</summary>
    private void Report(string scenario, Release release, TrafficReplay replay)
    {
        var (total, longest, count) = replay.Judging;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenario}: {release.Model}@{release.Challenger} {release.State}; judged {count} times in all so far, {total.TotalMilliseconds / count:0.0} ms each on average, {longest.TotalMilliseconds:0} ms at most"));
        var stepStarted = release.Started;
        foreach (var d in release.Decisions.Where(d => d.Action is not ("hold" or "bake")))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {d.Action,-9} {d.Phase,-6} after {(d.Time - stepStarted).TotalMinutes,3:0} min, {d.Requests,5} challenger requests: {d.Reason}"));
            if (d.Action == "advance")
                stepStarted = d.Time;
        }
    }
}
