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
        var sums = new Sums();
        foreach (var (predicted, p) in rows)
            sums.Expect(predicted, p);
        return sums.Metrics();
    }

    public static IReadOnlyDictionary<string, double> Realized(IReadOnlyList<(bool PredictedPositive, bool Positive)> rows)
    {
        var sums = new Sums();
        foreach (var (predicted, positive) in rows)
            sums.Count(predicted, positive);
        return sums.Metrics();
    }

    /// <summary>A confusion matrix summed a row at a time, expected (<see cref="Expect"/>) or realized (<see cref="Count"/>): rows streamed by are not kept.</summary>
    public sealed class Sums
    {
        private double _tp, _fp, _fn, _tn;

        public void Expect(bool predictedPositive, double probability)
        {
            if (predictedPositive)
                (_tp, _fp) = (_tp + probability, _fp + 1 - probability);
            else
                (_fn, _tn) = (_fn + probability, _tn + 1 - probability);
        }

        public void Count(bool predictedPositive, bool positive)
        {
            switch ((predictedPositive, positive))
            {
                case (true, true): _tp++; break;
                case (true, false): _fp++; break;
                case (false, true): _fn++; break;
                default: _tn++; break;
            }
        }

        public IReadOnlyDictionary<string, double> Metrics() => FromCounts(_tp, _fp, _fn, _tn);
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
