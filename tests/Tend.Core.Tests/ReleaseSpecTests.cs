using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Core.Tests;

/// <summary>tend.yaml's <c>release:</c> policy: its defaults, its keys, and errors that name the line.</summary>
public sealed class ReleaseSpecTests
{
    private const string Project = """
        name: churn
        task: binary
        label: churned
        metric:
          name: f1
          bar: 0.6

        """;

    private static ReleaseSpec? Parse(string release) => SpecLoader.Parse(Project + release, "tend.yaml").Release;

    [Fact]
    public void WithoutASection_ThereIsNoReleasePolicy() => Assert.Null(Parse(""));

    [Fact]
    public void AnEmptySection_TakesTheDefaults()
    {
        var release = Parse("release: {}")!;
        Assert.Equal(ReleaseSpec.DefaultSteps, release.Steps.Select(s => s.Percent));
        Assert.All(release.Steps, s => Assert.Equal((ReleaseSpec.DefaultBake, ReleaseSpec.DefaultMinRequests, 0), (s.Bake, s.MinRequests, s.MinLabelled)));
        Assert.Equal((null, ReleaseSpec.DefaultDeadline, OnDeadline.Rollback, false, false), (release.Shadow, release.Deadline, release.OnDeadline, release.ApprovalRequired, release.DryRun));
        Assert.Equal((TimeSpan.Zero, 1, TimeSpan.FromDays(1)), (release.Cooldown, release.MaxReleases, release.Window));
        Assert.Same(ReleaseChecks.Default, release.Checks);
        Assert.Equal(ReleaseSpec.Default.Steps, release.Steps);
    }

    [Fact]
    public void Checks_TakeTheirOwnTolerancesWeightsAndCriticality()
    {
        var checks = Parse("""
            release:
              checks:
                latency_p99: {tolerance: 0.5, critical: false}
                agreement: {critical: true, weight: 3}
                pass_score: 0.9
            """)!.Checks;
        Assert.Equal((0.5, 0.01, 0.9), (checks.ToleranceOf(ReleaseChecks.Latency), checks.ToleranceOf(ReleaseChecks.ErrorRate), checks.PassScore));
        Assert.Equal([ReleaseChecks.ErrorRate, ReleaseChecks.Agreement, ReleaseChecks.Estimated, ReleaseChecks.Realized], ReleaseChecks.Kinds.Where(checks.Critical.Contains));
        Assert.Equal((3, 1), (checks.WeightOf(ReleaseChecks.Agreement), checks.WeightOf(ReleaseChecks.Fairness)));
    }

    [Fact]
    public void EveryKey_IsRead_AndAStepMayOverrideThePolicysBar()
    {
        var release = Parse("""
            release:
              shadow:
                duration: 2h
                min_requests: 1000
              bake: 1h
              min_requests: 300
              min_labelled: 40
              steps:
                - percent: 10
                  bake: 3h
                  min_labelled: 100
                - percent: 100
              deadline: 2d
              on_deadline: hold
              approval: required
              dry_run: true
              cooldown: 6h
              max_releases:
                releases: 3
                per: 7d
            """)!;
        Assert.Equal(new ShadowPhase(TimeSpan.FromHours(2), 1000), release.Shadow);
        Assert.Equal([new ReleaseStep(10, TimeSpan.FromHours(3), 300, 100), new ReleaseStep(100, TimeSpan.FromHours(1), 300, 40)], release.Steps);
        Assert.Equal((TimeSpan.FromDays(2), OnDeadline.Hold, true, true, TimeSpan.FromHours(6), 3, TimeSpan.FromDays(7)),
            (release.Deadline, release.OnDeadline, release.ApprovalRequired, release.DryRun, release.Cooldown, release.MaxReleases, release.Window));
        Assert.Equal([1, 50, 100], Parse("release:\n  steps: [1, 50, 100]")!.Steps.Select(s => s.Percent));
    }

    [Theory]
    [InlineData("release:\n  steps: [25, 5, 100]", "tend.yaml:8: 'release.steps' must be shares of requests above 0 and at most 100, each above the one before; got 25, 5, 100")]
    [InlineData("release:\n  steps: [5, 50]", "tend.yaml:8: 'release.steps' must end at 100")]
    [InlineData("release:\n  steps: [5, lots, 100]", "tend.yaml:8: 'release.steps' must be a list of numbers, got 'lots'")]
    [InlineData("release:\n  on_deadline: panic", "tend.yaml:8: 'release.on_deadline' must be one of: rollback, hold; got 'panic'")]
    [InlineData("release:\n  approval: maybe", "tend.yaml:8: 'release.approval' must be one of: auto, required; got 'maybe'")]
    [InlineData("release:\n  bake: soon", "tend.yaml:8: 'release.bake' must be a duration such as 30s, 5m or 1h; got 'soon'")]
    [InlineData("release:\n  shadow:\n    min_requests: 5", "tend.yaml:9: 'release.shadow' needs 'duration', such as 1h")]
    [InlineData("release:\n  min_requests: -1", "tend.yaml:8: 'min_requests' must be 0 or more; got -1")]
    [InlineData("release:\n  canary: 5", "tend.yaml:8: unknown key 'release.canary'")]
    [InlineData("release:\n  checks:\n    agreement: {tolerance: -0.1}", "tend.yaml:9: 'release.checks.agreement.tolerance' must be 0 or more; got -0.1")]
    [InlineData("release:\n  checks:\n    pass_score: 2", "tend.yaml:9: 'release.checks.pass_score' must be between 0 and 1; got 2")]
    [InlineData("release:\n  checks:\n    speed: {weight: 1}", "tend.yaml:9: unknown key 'release.checks.speed'")]
    public void AWrongValue_IsAnErrorNamingItsLine(string release, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<TendException>(() => Parse(release)).Message);
}
