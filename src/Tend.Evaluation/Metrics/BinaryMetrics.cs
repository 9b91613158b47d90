namespace Tend.Evaluation.Metrics;

/// <summary>
/// Binary classification metrics, defined as scikit-learn defines them: roc_auc_score, average_precision_score (pr_auc),
/// accuracy/precision/recall/f1_score at a threshold (a score at or above it is positive), log_loss and brier_score_loss.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>Probabilities are clipped to [eps, 1 - eps] before the log, as scikit-learn's log_loss.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>The threshold behind the labels a model predicts, and so behind the threshold metrics <c>train</c> logs.</summary>
    public const double DefaultThreshold = 0.5;

    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<bool> actual, IReadOnlyList<double> probability, double threshold = DefaultThreshold)
    {
        var counts = ConfusionCounts.At(actual, probability, threshold);
        double logLoss = 0, brier = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var p = Math.Clamp(probability[i], LogLossEpsilon, 1 - LogLossEpsilon);
            logLoss -= actual[i] ? Math.Log(p) : Math.Log(1 - p);
            var error = probability[i] - (actual[i] ? 1 : 0);
            brier += error * error;
        }
        return new Dictionary<string, double>
        {
            ["auc"] = Auc(actual, probability),
            ["pr_auc"] = AveragePrecision(actual, probability),
            ["accuracy"] = counts.Accuracy,
            ["precision"] = counts.Precision,
            ["recall"] = counts.Recall,
            ["f1"] = counts.F1,
            ["log_loss"] = logLoss / actual.Count,
            ["brier"] = brier / actual.Count,
        };
    }

    /// <summary>Area under the ROC curve by the rank-sum (Mann-Whitney U) formula, ties given their average rank; NaN with one class only.</summary>
    public static double Auc(IReadOnlyList<bool> actual, IReadOnlyList<double> score)
    {
        var order = Enumerable.Range(0, score.Count).OrderBy(i => score[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && score[order[end + 1]] == score[order[start]])
                end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (actual[order[k]]) { positiveRankSum += averageRank; positives++; }
            start = end + 1;
        }
        long negatives = actual.Count - positives;
        return positives == 0 || negatives == 0 ? double.NaN
            : (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>Average precision, Σ (Rₙ − Rₙ₋₁) Pₙ over the distinct thresholds from the highest down (no interpolation); NaN without positives.</summary>
    public static double AveragePrecision(IReadOnlyList<bool> actual, IReadOnlyList<double> score)
    {
        var steps = ThresholdSteps.Descending(actual, score);
        var positives = steps.Count == 0 ? 0 : steps[^1].TruePositives;
        if (positives == 0)
            return double.NaN;
        double sum = 0, previousRecall = 0;
        foreach (var s in steps)
        {
            var recall = (double)s.TruePositives / positives;
            sum += (recall - previousRecall) * s.TruePositives / (s.TruePositives + s.FalsePositives);
            previousRecall = recall;
        }
        return sum;
    }
}
