using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Pipelines.Releases;
using Tend.Training.Features;

namespace Tend.EndToEnd.Tests.Releases;

/// <summary>
/// The release judge on records built by hand, its statistics pinned to statsmodels 0.13.5 on the same numbers
/// (tests/reference/release_references.py).
/// </summary>
public sealed class ReleaseJudgeTests
{
    private static readonly FeatureLayout Layout = new(MlTask.Binary, "y", "bad", ["good", "bad"], ["x"], [], [], new Dictionary<string, IReadOnlyList<string>>(), [], []);

    private static readonly ProjectSpec Spec = SpecLoader.Parse("""
        name: m
        task: binary
        label: y
        metric: {name: accuracy, bar: 0.5}
        release:
          steps: [5, 100]
          min_requests: 200
        """);

    private static readonly ReleaseStep Step = Spec.ReleaseOrDefault.Steps[0];

    private static PredictionRecord Row(int i, string route, double score, string? error = null) =>
        new($"r{i}", DateTimeOffset.UnixEpoch, "m", route == Deployment.CanaryRoute ? 2 : 1, route, FeatureRow.Of(new Dictionary<string, string?> { ["x"] = $"{i}" }),
            score >= 0.5 ? "bad" : "good", score, 1, Error: error);

    /// <summary>Challenger rows and the champion's answers on the same rows, scores drawn alike, so every model check passes.</summary>
    private static (List<PredictionRecord> Challenger, List<PredictionRecord> OnSameRows) Alike(int n, int failed = 0)
    {
        var random = new Random(5);
        var challenger = Enumerable.Range(0, n).Select(i => Row(i, Deployment.CanaryRoute, Math.Round(random.NextDouble(), 2), i < failed ? "boom" : null)).ToList();
        var same = challenger.Where(r => r.Error is null).Select(r => r with { Version = 1 }).ToList();
        return (challenger, same);
    }

    private static List<PredictionRecord> Champion(int n, int failed) =>
        Enumerable.Range(0, n).Select(i => Row(10_000 + i, Deployment.Primary, 0.3, i < failed ? "boom" : null)).ToList();

    [Fact]
    public void ErrorRate_SignificantlyHigherAndBeyondTolerance_FailsTheStep()
    {
        var (challenger, same) = Alike(200, failed: 7);
        var judgement = ReleaseJudge.Judge(new StepEvidence(challenger, Champion(3800, failed: 2), same, ComparesTraffic: true), Step, Layout, Spec);
        var errors = Assert.Single(judgement.Checks, c => c.Name == ReleaseChecks.ErrorRate);
        // statsmodels proportions_ztest([7, 2], [200, 3800]): z 10.029109480876281, p 1.1353593747910248e-23
        Assert.Equal(1.1353593747910248e-23, errors.PValue!.Value, 1e-30);
        Assert.Equal((CheckVerdict.Fail, 0.035, 2 / 3800.0), (errors.Verdict, errors.Challenger!.Value, errors.Champion!.Value));
        Assert.Equal(StepVerdict.Fail, judgement.Verdict);
        Assert.StartsWith("critical check error_rate failed", judgement.Reason);
        Assert.All(judgement.Checks.Where(c => c.Name != ReleaseChecks.ErrorRate), c => Assert.Equal(CheckVerdict.Pass, c.Verdict));
    }

    [Fact]
    public void ErrorRate_WithinTolerance_Passes()
    {
        var (challenger, same) = Alike(200, failed: 1); // 0.5 % against 0.05 %: significant at 5 %? not beyond the 1-point tolerance
        var judgement = ReleaseJudge.Judge(new StepEvidence(challenger, Champion(3800, failed: 2), same, ComparesTraffic: true), Step, Layout, Spec);
        Assert.Equal(StepVerdict.Pass, judgement.Verdict);
        Assert.Equal("every check passed", judgement.Reason);
    }

    [Fact]
    public void FewerRequestsThanTheStepNeeds_Holds_NeverPassesNorFails()
    {
        var (challenger, same) = Alike(199);
        var judgement = ReleaseJudge.Judge(new StepEvidence(challenger, Champion(3800, 0), same, ComparesTraffic: true), Step, Layout, Spec);
        Assert.Equal(StepVerdict.Hold, judgement.Verdict);
        Assert.All(judgement.Checks, c => Assert.Equal(CheckVerdict.NotEnoughData, c.Verdict));
        Assert.StartsWith("not enough data for error_rate, latency_p99, agreement", judgement.Reason);
        Assert.Contains("199 of 200 requests", judgement.Reason);
    }

    [Fact]
    public void ShadowAndFullTraffic_LeaveOutErrorRateAndLatency_AndLabelsAddTheRealizedCheck()
    {
        var (challenger, same) = Alike(300);
        var labelled = challenger.Select(r => r with { Feedback = r.Prediction }).ToList();
        var judgement = ReleaseJudge.Judge(new StepEvidence(labelled, [], same.Select((r, i) => r with { Feedback = labelled[i].Feedback }).ToList(), ComparesTraffic: false),
            Step, Layout, Spec);
        Assert.Equal([ReleaseChecks.Agreement, ReleaseChecks.OutputDrift, ReleaseChecks.Estimated, ReleaseChecks.Realized], judgement.Checks.Select(c => c.Name));
        var realized = judgement.Checks[^1];
        Assert.Equal((1.0, 1.0, 300), (realized.Challenger!.Value, realized.Champion!.Value, realized.Rows));
        Assert.Equal(StepVerdict.Pass, judgement.Verdict);
    }

    [Fact]
    public void Agreement_Wilson_MatchesStatsmodels()
    {
        // statsmodels proportion_confint(83, 97, method="wilson") = (0.7722059515958346, 0.9120364305248829)
        var (share, low, high) = ReleaseJudge.Wilson(83, 97);
        Assert.Equal(83 / 97.0, share, 15);
        Assert.Equal(0.7722059515958346, low, 12);
        Assert.Equal(0.9120364305248829, high, 12);
        // proportion_confint(0, 20, method="wilson") = (0.0, 0.1611251580528194)
        var (_, zeroLow, zeroHigh) = ReleaseJudge.Wilson(0, 20);
        Assert.Equal(0, zeroLow, 12);
        Assert.Equal(0.1611251580528194, zeroHigh, 12);
    }

    [Fact]
    public void EstimatedPerformance_PairedZ_MatchesStatsmodels()
    {
        // statsmodels ztest(d, value=0) on these differences: p 0.12668360043064972; mean 0.069, standard error 0.04517742799230606
        double[] d = [0.12, -0.05, 0.3, 0.07, -0.2, 0.15, 0.01, 0.22, -0.02, 0.09];
        var (mean, se, p) = ReleaseJudge.Paired(d);
        Assert.Equal(0.069, mean, 14);
        Assert.Equal(0.04517742799230606, se, 14);
        Assert.Equal(0.12668360043064972, p, 12);
    }

    [Fact]
    public void ChecksAcrossTheStep_AreCorrectedTogether()
    {
        // A challenger whose answers disagree with the champion's on a third of the rows: agreement fails (not critical), and
        // its probabilities are as confident, so the rest pass; 1 failed of 5 equal weights is 80 %, above the 75 % pass score.
        var (challenger, same) = Alike(300);
        var flipped = same.Select((r, i) => i % 3 == 0 ? r with { Prediction = r.Prediction == "bad" ? "good" : "bad", Score = 1 - r.Score } : r).ToList();
        var judgement = ReleaseJudge.Judge(new StepEvidence(challenger, Champion(3800, 0), flipped, ComparesTraffic: true), Step, Layout, Spec);
        var agreement = Assert.Single(judgement.Checks, c => c.Name == ReleaseChecks.Agreement);
        Assert.Equal(CheckVerdict.Fail, agreement.Verdict);
        Assert.False(agreement.Critical);
        var tested = judgement.Checks.Where(c => c.PValue is not null).ToList();
        Assert.Equal(tested.Select(c => c.AdjustedPValue), Tend.Monitoring.Drift.DatasetDrift.WeightedBenjaminiHochberg(tested.Select(c => c.PValue!.Value).ToList(),
            tested.Select(_ => 1.0).ToList()).Select(p => (double?)p));
        Assert.Equal(StepVerdict.Pass, judgement.Verdict);
        Assert.StartsWith("80 % of the checks' weight passed; failed: agreement", judgement.Reason);
    }
}
