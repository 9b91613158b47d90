using Tend.Core.Spec;

namespace Tend.Evaluation.Metrics;

/// <summary>The threshold a binary classifier is operated at, chosen by the rule tend.yaml states, with the decisions it gives.</summary>
public sealed record OperatingPoint(string Rule, double Threshold, double Precision, double Recall, double F1, long[][] ConfusionMatrix, string Note)
{
    /// <summary>
    /// <c>max_f1</c>: the threshold with the highest F1 (the highest such threshold on a tie); <c>precision</c>: the lowest
    /// threshold whose precision reaches the target (the most recall at that precision); <c>recall</c>: the highest
    /// threshold whose recall reaches the target (the most precision at that recall); <c>fixed</c>: the value given. When
    /// no threshold reaches a target, max F1 is used and <see cref="Note"/> says so.
    /// </summary>
    /// <param name="curves">The rows' curves when the caller has them already (computed here otherwise).</param>
    public static OperatingPoint Choose(IReadOnlyList<bool> actual, IReadOnlyList<double> score, ThresholdRule rule, BinaryCurves? curves = null)
    {
        var candidates = (curves ?? BinaryCurves.Compute(actual, score)).PrecisionRecall.Where(p => p.Threshold is not null).ToList();
        var note = "";
        double threshold;
        if (rule.Kind == ThresholdRule.Fixed)
            threshold = rule.Target;
        else if (rule.Kind == ThresholdRule.MaxF1 || Reaching(candidates, rule) is not { } reached)
        {
            if (rule.Kind != ThresholdRule.MaxF1)
                note = $"no threshold reaches {rule.Kind} {rule.Target}; max F1 used instead";
            threshold = candidates.Count == 0 ? BinaryMetrics.DefaultThreshold : MaxF1(candidates);
        }
        else
            threshold = reached;
        var counts = ConfusionCounts.At(actual, score, threshold);
        return new OperatingPoint(rule.ToString(), threshold, counts.Precision, counts.Recall, counts.F1, counts.Matrix, note);
    }

    private static double? Reaching(List<CurvePoint> ascending, ThresholdRule rule) => rule.Kind == ThresholdRule.Precision
        ? ascending.FirstOrDefault(p => p.Y >= rule.Target)?.Threshold
        : ascending.LastOrDefault(p => p.X >= rule.Target)?.Threshold;

    private static double MaxF1(List<CurvePoint> ascending)
    {
        var best = ascending[0];
        var bestF1 = -1.0;
        foreach (var p in ascending)
        {
            var f1 = p.X + p.Y == 0 ? 0 : 2 * p.X * p.Y / (p.X + p.Y);
            if (f1 >= bestF1) (best, bestF1) = (p, f1);
        }
        return best.Threshold!.Value;
    }
}
