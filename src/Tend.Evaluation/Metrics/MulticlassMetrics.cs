namespace Tend.Evaluation.Metrics;

/// <summary>Precision, recall, F1 and support of one class, one class against the rest (scikit-learn's precision_recall_fscore_support).</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, long Support);

/// <summary>
/// Multiclass metrics, as scikit-learn defines them: micro accuracy (accuracy_score), macro accuracy (the mean recall of
/// the classes present, balanced_accuracy_score), macro F1 (f1_score average="macro", over the classes present or
/// predicted) and log_loss. The predicted class is the one with the highest probability, the first on a tie.
/// </summary>
public static class MulticlassMetrics
{
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<int> actual, IReadOnlyList<double[]> probabilities)
    {
        var confusion = Confusion(actual, probabilities);
        double logLoss = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            // scikit-learn renormalises each row to sum 1 and clips it before the log.
            var p = probabilities[i];
            logLoss -= Math.Log(Math.Clamp(p[actual[i]] / p.Sum(), BinaryMetrics.LogLossEpsilon, 1 - BinaryMetrics.LogLossEpsilon));
        }
        var perClass = PerClass(confusion, Enumerable.Range(0, confusion.Length).Select(c => c.ToString()).ToList());
        var correct = Enumerable.Range(0, confusion.Length).Sum(c => confusion[c][c]);
        return new Dictionary<string, double>
        {
            ["micro_accuracy"] = (double)correct / actual.Count,
            ["macro_accuracy"] = perClass.Where(c => c.Support > 0).Average(c => c.Recall),
            ["macro_f1"] = perClass.Where((c, k) => c.Support > 0 || confusion.Sum(row => row[k]) > 0).Average(c => c.F1),
            ["log_loss"] = logLoss / actual.Count,
        };
    }

    /// <summary>Counts by actual class (rows) and predicted class (columns), as scikit-learn's confusion_matrix.</summary>
    public static long[][] Confusion(IReadOnlyList<int> actual, IReadOnlyList<double[]> probabilities)
    {
        var classes = probabilities[0].Length;
        var matrix = Enumerable.Range(0, classes).Select(_ => new long[classes]).ToArray();
        for (var i = 0; i < actual.Count; i++)
            matrix[actual[i]][Predicted(probabilities[i])]++;
        return matrix;
    }

    public static IReadOnlyList<ClassMetrics> PerClass(long[][] confusion, IReadOnlyList<string> classes) =>
        Enumerable.Range(0, confusion.Length).Select(k =>
        {
            var truePositives = confusion[k][k];
            var predicted = confusion.Sum(row => row[k]);
            var support = confusion[k].Sum();
            var counts = new ConfusionCounts(truePositives, predicted - truePositives, 0, support - truePositives);
            return new ClassMetrics(classes[k], counts.Precision, counts.Recall, counts.F1, support);
        }).ToList();

    public static int Predicted(double[] p)
    {
        var best = 0;
        for (var k = 1; k < p.Length; k++)
            if (p[k] > p[best]) best = k;
        return best;
    }
}
