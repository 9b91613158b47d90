using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Evaluation.Uncertainty;
using Tend.Monitoring.Drift;
using Tend.Monitoring.Statistics;
using Tend.Pipelines.Stages;
using Tend.Training.Features;

namespace Tend.Pipelines.Releases;

/// <summary>
/// What a step is judged on, all from the same window: every request routed to the challenger (failed ones included),
/// the requests the champion answered beside it, and the champion's answers on the challenger's answered rows (same
/// order, same feedback), scored when the step is judged. <see cref="ComparesTraffic"/> is false in the shadow phase
/// (the shadow answers no one) and at 100 % (no request reaches the champion): error rate and latency then have no
/// concurrent champion to be compared with, and are left out.
/// </summary>
internal sealed record StepEvidence(
    IReadOnlyList<PredictionRecord> Challenger,
    IReadOnlyList<PredictionRecord> Champion,
    IReadOnlyList<PredictionRecord> ChampionOnChallenger,
    bool ComparesTraffic);

internal enum StepVerdict
{
    Pass,
    Fail,
    Hold,
}

/// <summary>The checks of one step, its verdict and the sentence saying why.</summary>
internal sealed record Judgement(IReadOnlyList<ReleaseCheck> Checks, StepVerdict Verdict, string Reason, int Requests);

/// <summary>
/// Judges a release step: the challenger against the concurrent champion, never against history. Each check gives
/// pass, fail or not enough data; the p-values of all of them are corrected together by Benjamini–Hochberg; a check
/// fails only when its difference is both significant (corrected p at or below the level) and beyond its tolerance.
/// Not enough data anywhere holds the step. Otherwise a critical check failing fails it, and so does a passing weight
/// below the policy's pass score.
/// </summary>
internal static class ReleaseJudge
{
    private const double Z95 = 1.959963984540054;

    public static Judgement Judge(StepEvidence evidence, ReleaseStep step, FeatureLayout layout, ProjectSpec spec)
    {
        var checks = spec.ReleaseOrDefault.Checks;
        var answered = evidence.Challenger.Where(r => r.Error is null).ToList();
        var enough = evidence.Challenger.Count >= Math.Max(1, step.MinRequests);
        var found = new List<Found>();
        if (evidence.ComparesTraffic)
        {
            found.Add(ErrorRate(evidence, enough, checks));
            found.Add(Latency(answered, evidence.Champion.Where(r => r.Error is null).ToList(), enough, checks));
        }
        var champion = evidence.ChampionOnChallenger;
        if (layout.Task != MlTask.Regression)
            found.Add(Agreement(answered, champion, enough, checks));
        found.Add(OutputDrift(answered, champion, enough, spec.Monitor));
        if (layout.Task == MlTask.Binary)
            found.Add(Estimated(answered, champion, layout, enough, checks));
        if (Realized(answered, champion, layout, step, spec, checks) is { } realized)
            found.Add(realized);
        if (layout.Task == MlTask.Binary)
            found.AddRange(Fairness(answered, champion, layout, spec, enough, checks));

        var tested = found.Where(f => f.PValue is not null).ToList();
        var adjusted = DatasetDrift.WeightedBenjaminiHochberg(tested.Select(f => f.PValue!.Value).ToList(), tested.Select(_ => 1.0).ToList());
        var level = spec.Monitor.PValue;
        var judged = found.Select(f =>
        {
            double? adjustedP = f.PValue is null ? null : adjusted[tested.IndexOf(f)];
            var verdict = !f.Enough ? CheckVerdict.NotEnoughData
                : f.Worse && (adjustedP is null || adjustedP <= level) ? CheckVerdict.Fail
                : CheckVerdict.Pass;
            return new ReleaseCheck(f.Name, verdict, f.Challenger, f.Champion, f.Low, f.High, f.PValue, adjustedP, f.Rows,
                checks.Critical.Contains(f.Kind), checks.WeightOf(f.Kind), f.Detail);
        }).ToList();
        var (verdict, reason) = Verdict(judged, checks, evidence.Challenger.Count, step);
        return new Judgement(judged, verdict, reason, evidence.Challenger.Count);
    }

    private static (StepVerdict, string) Verdict(IReadOnlyList<ReleaseCheck> judged, ReleaseChecks checks, int requests, ReleaseStep step)
    {
        var waiting = judged.Where(c => c.Verdict == CheckVerdict.NotEnoughData).Select(c => c.Name).ToList();
        var failed = judged.Where(c => c.Verdict == CheckVerdict.Fail).ToList();
        if (failed.FirstOrDefault(c => c.Critical) is { } critical)
            return (StepVerdict.Fail, $"critical check {critical.Name} failed: {critical.Detail}");
        if (waiting.Count > 0)
            return (StepVerdict.Hold, $"not enough data for {string.Join(", ", waiting)} ({requests} of {step.MinRequests} requests{(step.MinLabelled > 0 ? $", {step.MinLabelled} labelled needed" : "")})");
        var total = judged.Sum(c => c.Weight);
        var score = total == 0 ? 1 : judged.Where(c => c.Verdict == CheckVerdict.Pass).Sum(c => c.Weight) / total;
        if (score < checks.PassScore)
            return (StepVerdict.Fail, $"{score:P0} of the checks' weight passed, below the pass score {checks.PassScore:P0}; failed: {string.Join(", ", failed.Select(c => c.Name))}");
        return (StepVerdict.Pass, failed.Count == 0 ? "every check passed" : $"{score:P0} of the checks' weight passed; failed: {string.Join(", ", failed.Select(c => c.Name))}");
    }

    /// <summary>A check before correction: its values, whether the challenger is worse beyond the tolerance, and its p-value if it is a test.</summary>
    private sealed record Found(string Name, string Kind, bool Enough, bool Worse, double? Challenger, double? Champion, double? Low, double? High, double? PValue, int Rows, string Detail);

    /// <summary>The share of failed requests on each route, by the two-proportion z-test.</summary>
    private static Found ErrorRate(StepEvidence evidence, bool enough, ReleaseChecks checks)
    {
        var (n, m) = (evidence.Challenger.Count, evidence.Champion.Count);
        var (failed, championFailed) = (evidence.Challenger.Count(r => r.Error is not null), evidence.Champion.Count(r => r.Error is not null));
        var (ours, theirs) = (Share(failed, n), Share(championFailed, m));
        var p = n == 0 || m == 0 ? (double?)null : ProportionZ.Compute(championFailed, m, failed, n).PValue;
        var se = Math.Sqrt(ours * (1 - ours) / Math.Max(1, n) + theirs * (1 - theirs) / Math.Max(1, m));
        var tolerance = checks.ToleranceOf(ReleaseChecks.ErrorRate);
        return new Found(ReleaseChecks.ErrorRate, ReleaseChecks.ErrorRate, enough && m > 0, ours - theirs > tolerance, ours, theirs, ours - theirs - Z95 * se, ours - theirs + Z95 * se, p, n,
            $"{failed} of {n} requests failed against the champion's {championFailed} of {m}; tolerance {tolerance:0.###} more");
    }

    /// <summary>
    /// The 99th percentile of latency: the share of each route's answers slower than the champion's p99 (1 % of the
    /// champion's by construction) by the two-proportion z-test; worse when the challenger's p99 is beyond the tolerance,
    /// and beyond <see cref="ReleaseChecks.LatencyFloorMs"/> in any case.
    /// </summary>
    private static Found Latency(IReadOnlyList<PredictionRecord> answered, IReadOnlyList<PredictionRecord> championAnswered, bool enough, ReleaseChecks checks)
    {
        var ours = answered.Select(r => r.LatencyMs).Order().ToArray();
        var theirs = championAnswered.Select(r => r.LatencyMs).Order().ToArray();
        var tolerance = checks.ToleranceOf(ReleaseChecks.Latency);
        if (ours.Length == 0 || theirs.Length == 0)
            return new Found(ReleaseChecks.Latency, ReleaseChecks.Latency, false, false, null, null, null, null, null, ours.Length, "no answered requests on one route yet");
        var (p99, championP99) = (DeploymentStatus.Quantile(ours, 0.99), DeploymentStatus.Quantile(theirs, 0.99));
        var p = ProportionZ.Compute(theirs.Count(l => l > championP99), theirs.Length, ours.Count(l => l > championP99), ours.Length).PValue;
        var allowed = Math.Max(championP99 * tolerance, ReleaseChecks.LatencyFloorMs);
        return new Found(ReleaseChecks.Latency, ReleaseChecks.Latency, enough, p99 > championP99 + allowed, p99, championP99, null, null, p, ours.Length,
            $"p99 {p99:0.###} ms against the champion's {championP99:0.###} ms; {Share(ours.Count(l => l > championP99), ours.Length):P1} of answers slower than the champion's p99; " +
            $"tolerance {tolerance:P0} or {ReleaseChecks.LatencyFloorMs} ms slower, whichever is more");
    }

    /// <summary>The share of rows where both models predict the same class, with its Wilson interval; worse when even the interval's top is below 1 − tolerance.</summary>
    private static Found Agreement(IReadOnlyList<PredictionRecord> answered, IReadOnlyList<PredictionRecord> champion, bool enough, ReleaseChecks checks)
    {
        var n = answered.Count;
        var same = answered.Where((r, i) => r.Prediction == champion[i].Prediction).Count();
        var least = 1 - checks.ToleranceOf(ReleaseChecks.Agreement);
        if (n == 0)
            return new Found(ReleaseChecks.Agreement, ReleaseChecks.Agreement, false, false, null, null, null, null, null, 0, "no answered rows yet");
        var (share, low, high) = Wilson(same, n);
        return new Found(ReleaseChecks.Agreement, ReleaseChecks.Agreement, enough, high < least, share, 1, low, high, null, n,
            $"the models agree on {same} of {n} rows; at least {least:P0} expected");
    }

    /// <summary>The challenger's scores against the champion's on the same rows, by the monitor's default drift statistic for numbers.</summary>
    private static Found OutputDrift(IReadOnlyList<PredictionRecord> answered, IReadOnlyList<PredictionRecord> champion, bool enough, MonitorSpec monitor)
    {
        var ours = ColumnSample.Of(answered.Where(r => r.Score is not null).Select(r => r.Score!.Value));
        var theirs = ColumnSample.Of(champion.Where(r => r.Score is not null).Select(r => r.Score!.Value));
        if (ours.Count == 0 || theirs.Count == 0)
            return new Found(ReleaseChecks.OutputDrift, ReleaseChecks.OutputDrift, false, false, null, null, null, null, null, (int)ours.Count, "no scores yet");
        var statistic = DriftStatistics.Default(ColumnType.Numeric, Math.Min(ours.Count, theirs.Count));
        var score = statistic.Score(theirs, ours);
        var threshold = DriftAnalysis.Threshold(statistic.Descriptor, monitor);
        return new Found(ReleaseChecks.OutputDrift, ReleaseChecks.OutputDrift, enough, statistic.Descriptor.IsTest || score.Value >= threshold, score.Value, null, null, null, score.PValue,
            (int)ours.Count, statistic.Descriptor.IsTest ? $"{statistic.Descriptor.Name} {score.Value:0.####} between the two models' scores on the same rows"
                : $"{statistic.Descriptor.Name} {score.Value:0.####} between the two models' scores on the same rows; threshold {threshold}");
    }

    /// <summary>
    /// Accuracy expected from each model's probabilities on the same rows (CBPE): a row predicted positive with
    /// probability p is right with probability p, one predicted negative with 1 − p. The paired differences give a
    /// z-test and a normal 95 % interval of challenger − champion.
    /// </summary>
    private static Found Estimated(IReadOnlyList<PredictionRecord> answered, IReadOnlyList<PredictionRecord> champion, FeatureLayout layout, bool enough, ReleaseChecks checks)
    {
        double Expected(PredictionRecord r) => r.Prediction == layout.PositiveClass ? r.Score!.Value : 1 - r.Score!.Value;
        var rows = Enumerable.Range(0, answered.Count).Where(i => answered[i].Score is not null && champion[i].Score is not null).ToList();
        var tolerance = checks.ToleranceOf(ReleaseChecks.Estimated);
        if (rows.Count < 2)
            return new Found(ReleaseChecks.Estimated, ReleaseChecks.Estimated, false, false, null, null, null, null, null, rows.Count, "fewer than 2 scored rows");
        var (ours, theirs) = (rows.Average(i => Expected(answered[i])), rows.Average(i => Expected(champion[i])));
        var (mean, se, p) = Paired(rows.Select(i => Expected(answered[i]) - Expected(champion[i])).ToList());
        return new Found(ReleaseChecks.Estimated, ReleaseChecks.Estimated, enough, mean < -tolerance, ours, theirs, mean - Z95 * se, mean + Z95 * se, p, rows.Count,
            $"expected accuracy {ours:0.####} against the champion's {theirs:0.####} on the same {rows.Count} rows, before any label; tolerance {tolerance:0.###} lower");
    }

    /// <summary>
    /// The project's metric on the challenger's rows whose labels came back, against the champion's on the same rows: the
    /// paired-bootstrap interval of the difference, and McNemar's exact test for classifiers. Without labels it is left
    /// out, unless the step asks for some (<c>min_labelled</c>), when it waits for them.
    /// </summary>
    private static Found? Realized(IReadOnlyList<PredictionRecord> answered, IReadOnlyList<PredictionRecord> champion, FeatureLayout layout, ReleaseStep step, ProjectSpec spec, ReleaseChecks checks)
    {
        var labelled = Enumerable.Range(0, answered.Count).Where(i => answered[i].Feedback is not null).ToList();
        var ours = MonitorPerformance.Scored(labelled.Select(i => answered[i]).ToList(), layout);
        var theirs = MonitorPerformance.Scored(labelled.Select(i => champion[i]).ToList(), layout);
        if (labelled.Count == 0 || ours is null || theirs is null || ours.Count != theirs.Count)
            return step.MinLabelled == 0 ? null
                : new Found(ReleaseChecks.Realized, ReleaseChecks.Realized, false, false, null, null, null, null, null, 0, $"no labelled rows yet; {step.MinLabelled} needed");
        var metric = MonitorPerformance.MetricOf(ours.Metrics(), spec.Metric.Name, layout.Task);
        var comparison = ChampionComparison.Compare(0, ours, theirs, [metric], MonitorPerformance.Resamples, MonitorPerformance.Seed);
        var difference = comparison.Metrics[0];
        var tolerance = checks.ToleranceOf(ReleaseChecks.Realized);
        var worse = difference.Gain < -tolerance && (comparison.McNemar is not null || difference.GainInterval.High < 0);
        return new Found(ReleaseChecks.Realized, ReleaseChecks.Realized, ours.Count >= Math.Max(1, step.MinLabelled), worse, difference.Challenger, difference.Champion,
            difference.Difference.Low, difference.Difference.High, comparison.McNemar?.PValue, ours.Count,
            $"{metric} {difference.Challenger:0.####} against the champion's {difference.Champion:0.####} on the same {ours.Count} labelled rows; tolerance {tolerance:0.###} worse");
    }

    /// <summary>
    /// Each protected attribute's demographic parity difference of the challenger against the champion's on the same
    /// rows, with the paired bootstrap interval of the difference (the same rows drawn for both): worse when it is beyond
    /// the tolerance and the whole interval lies above 0.
    /// </summary>
    private static IEnumerable<Found> Fairness(IReadOnlyList<PredictionRecord> answered, IReadOnlyList<PredictionRecord> champion, FeatureLayout layout, ProjectSpec spec, bool enough, ReleaseChecks checks)
    {
        var tolerance = checks.ToleranceOf(ReleaseChecks.Fairness);
        foreach (var attribute in spec.ProtectedAttributes.Where(a => answered.Count > 0 && answered[0].Features.ContainsKey(a)))
        {
            double? Gap(IReadOnlyList<PredictionRecord> rows, IReadOnlyList<int> drawn) =>
                MonitorFairness.Of(drawn.Select(i => rows[i]).ToList(), layout, spec with { ProtectedAttributes = [attribute] })?[0].DemographicParityDifference;
            var (ours, theirs) = (Gap(answered, [.. Enumerable.Range(0, answered.Count)]), Gap(champion, [.. Enumerable.Range(0, champion.Count)]));
            var name = $"{ReleaseChecks.Fairness}:{attribute}";
            if (ours is null || theirs is null)
                yield return new Found(name, ReleaseChecks.Fairness, false, false, ours, theirs, null, null, null, answered.Count,
                    $"fewer than two groups of {attribute} with {spec.EvaluationOrDefault.MinSliceRows} rows yet");
            else
            {
                var interval = Bootstrap.Of(name, answered.Count, drawn => Gap(answered, drawn) - Gap(champion, drawn) ?? double.NaN, FairnessResamples, MonitorPerformance.Seed);
                yield return new Found(name, ReleaseChecks.Fairness, enough, ours - theirs > tolerance && interval.Low > 0, ours, theirs, interval.Low, interval.High, null, answered.Count,
                    $"demographic parity difference by {attribute} {ours:0.####} against the champion's {theirs:0.####} on the same rows; tolerance {tolerance:0.###} more");
            }
        }
    }

    /// <summary>Resamples of a fairness gap's difference: each recomputes both models' groups, so fewer than a metric's.</summary>
    private const int FairnessResamples = 200;

    /// <summary>The mean of paired differences, its standard error, and the two-sided p-value of the z-test that it is 0.</summary>
    internal static (double Mean, double StandardError, double PValue) Paired(IReadOnlyList<double> differences)
    {
        var n = differences.Count;
        var mean = differences.Average();
        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        var se = Math.Sqrt(variance / n);
        return (mean, se, se == 0 ? (mean == 0 ? 1 : 0) : SpecialFunctions.NormalTwoSided(mean / se));
    }

    /// <summary>A share with its Wilson score 95 % interval (statsmodels' proportion_confint(method="wilson")).</summary>
    internal static (double Share, double Low, double High) Wilson(long successes, long n)
    {
        var p = (double)successes / n;
        var z2 = Z95 * Z95;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z95 * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return (p, centre - half, centre + half);
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
