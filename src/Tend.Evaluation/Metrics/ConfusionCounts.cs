namespace Tend.Evaluation.Metrics;

/// <summary>The four counts of a binary decision at one threshold, and what follows from them (0 where a ratio has no denominator, as scikit-learn's zero_division default).</summary>
public sealed record ConfusionCounts(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public static ConfusionCounts At(IReadOnlyList<bool> actual, IReadOnlyList<double> score, double threshold)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var predicted = score[i] >= threshold;
            if (predicted && actual[i]) tp++;
            else if (predicted) fp++;
            else if (actual[i]) fn++;
            else tn++;
        }
        return new ConfusionCounts(tp, fp, tn, fn);
    }

    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public double SelectionRate => Ratio(TruePositives + FalsePositives, Total);
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>scikit-learn's confusion_matrix layout: rows are the actual class (negative, positive), columns the predicted one.</summary>
    public long[][] Matrix => [[TrueNegatives, FalsePositives], [FalseNegatives, TruePositives]];

    private static double Ratio(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
