namespace Tend.Monitoring.Performance;

/// <summary>
/// How good a binary classifier is without labels: confidence-based performance estimation (as NannyML's CBPE). A
/// prediction whose positive-class probability is p counts p of a true positive and 1 − p of a false positive when it
/// predicted the positive class, and p of a false negative and 1 − p of a true negative when it did not. When the
/// probabilities are calibrated, this expected confusion matrix gives the expected accuracy, precision, recall and F1.
/// Once labels arrive, the same metrics from the realized confusion matrix show how good the estimate was.
/// </summary>
public static class ConfidenceBasedEstimate
{
    public static readonly IReadOnlyList<string> Metrics = ["accuracy", "precision", "recall", "f1"];

    public static IReadOnlyDictionary<string, double> Estimate(IReadOnlyList<(bool PredictedPositive, double Probability)> rows)
    {
        double tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (predicted, p) in rows)
            if (predicted)
                (tp, fp) = (tp + p, fp + 1 - p);
            else
                (fn, tn) = (fn + p, tn + 1 - p);
        return FromCounts(tp, fp, fn, tn);
    }

    public static IReadOnlyDictionary<string, double> Realized(IReadOnlyList<(bool PredictedPositive, bool Positive)> rows)
    {
        double tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (predicted, positive) in rows)
            (tp, fp, fn, tn) = (predicted, positive) switch
            {
                (true, true) => (tp + 1, fp, fn, tn),
                (true, false) => (tp, fp + 1, fn, tn),
                (false, true) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
        return FromCounts(tp, fp, fn, tn);
    }

    /// <summary>The metrics of a confusion matrix; precision, recall or F1 with a zero denominator is 0 (scikit-learn's zero_division=0).</summary>
    private static Dictionary<string, double> FromCounts(double tp, double fp, double fn, double tn)
    {
        var total = tp + fp + fn + tn;
        var precision = tp + fp > 0 ? tp / (tp + fp) : 0;
        var recall = tp + fn > 0 ? tp / (tp + fn) : 0;
        return new Dictionary<string, double>
        {
            ["accuracy"] = total > 0 ? (tp + tn) / total : double.NaN,
            ["precision"] = precision,
            ["recall"] = recall,
            ["f1"] = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0,
        };
    }
}
