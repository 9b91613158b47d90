namespace Tend.Evaluation.Metrics;

/// <summary>
/// The cumulative counts at each distinct score, from the highest down: at <see cref="Threshold"/> every row scoring at
/// least it is called positive. The one pass behind the ROC and precision-recall curves and average precision.
/// </summary>
public readonly record struct ThresholdSteps(double Threshold, long TruePositives, long FalsePositives)
{
    public static IReadOnlyList<ThresholdSteps> Descending(IReadOnlyList<bool> actual, IReadOnlyList<double> score)
    {
        var order = Enumerable.Range(0, score.Count).OrderByDescending(i => score[i]).ToArray();
        var steps = new List<ThresholdSteps>();
        long tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (actual[order[k]]) tp++; else fp++;
            if (k == order.Length - 1 || score[order[k + 1]] != score[order[k]])
                steps.Add(new ThresholdSteps(score[order[k]], tp, fp));
        }
        return steps;
    }
}
