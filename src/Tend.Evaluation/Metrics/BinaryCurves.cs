namespace Tend.Evaluation.Metrics;

/// <summary>One point of a curve; <see cref="Threshold"/> is the score at or above which a row is called positive (none at the curve's fixed end).</summary>
public sealed record CurvePoint(double X, double Y, double? Threshold);

/// <summary>One bin of a calibration curve: the mean predicted probability and the share of positives among its rows.</summary>
public sealed record CalibrationBin(double MeanPredicted, double FractionPositive, long Count);

/// <summary>
/// The curves of a binary classifier, as scikit-learn draws them: <see cref="Roc"/> is roc_curve(drop_intermediate=False)
/// (X false positive rate, Y true positive rate, from (0, 0) by falling threshold), <see cref="PrecisionRecall"/> is
/// precision_recall_curve (X recall, Y precision, by rising threshold, ending at recall 0 and precision 1), and
/// <see cref="Calibration"/> is calibration_curve(n_bins=10, strategy="uniform"), empty bins left out.
/// </summary>
public sealed record BinaryCurves(IReadOnlyList<CurvePoint> Roc, IReadOnlyList<CurvePoint> PrecisionRecall, IReadOnlyList<CalibrationBin> Calibration)
{
    public const int CalibrationBins = 10;

    public static BinaryCurves Compute(IReadOnlyList<bool> actual, IReadOnlyList<double> score)
    {
        var steps = ThresholdSteps.Descending(actual, score);
        var positives = steps.Count == 0 ? 0 : steps[^1].TruePositives;
        var negatives = steps.Count == 0 ? 0 : steps[^1].FalsePositives;
        var roc = new List<CurvePoint> { new(0, 0, null) };
        roc.AddRange(steps.Select(s => new CurvePoint(Rate(s.FalsePositives, negatives), Rate(s.TruePositives, positives), s.Threshold)));
        var pr = steps.Reverse().Select(s => new CurvePoint(Rate(s.TruePositives, positives), Rate(s.TruePositives, s.TruePositives + s.FalsePositives), s.Threshold)).ToList();
        pr.Add(new CurvePoint(0, 1, null));
        return new BinaryCurves(roc, pr, Calibrate(actual, score));
    }

    /// <summary>At most <paramref name="max"/> points, evenly spaced along the curve, the first and last always kept: enough to draw.</summary>
    public static IReadOnlyList<CurvePoint> Thin(IReadOnlyList<CurvePoint> points, int max)
    {
        if (points.Count <= max)
            return points;
        return Enumerable.Range(0, max).Select(k => points[(int)Math.Round(k * (points.Count - 1) / (double)(max - 1))]).ToList();
    }

    /// <summary>Bin k holds probabilities in (k/10, (k+1)/10], bin 0 also 0: the edges are numpy's linspace(0, 1, 11), searched on the left.</summary>
    private static List<CalibrationBin> Calibrate(IReadOnlyList<bool> actual, IReadOnlyList<double> probability)
    {
        var sums = new double[CalibrationBins];
        var positives = new long[CalibrationBins];
        var counts = new long[CalibrationBins];
        for (var i = 0; i < actual.Count; i++)
        {
            var bin = 0;
            while (bin < CalibrationBins - 1 && (bin + 1) * (1.0 / CalibrationBins) < probability[i])
                bin++;
            sums[bin] += probability[i];
            counts[bin]++;
            if (actual[i]) positives[bin]++;
        }
        return Enumerable.Range(0, CalibrationBins).Where(b => counts[b] > 0)
            .Select(b => new CalibrationBin(sums[b] / counts[b], (double)positives[b] / counts[b], counts[b])).ToList();
    }

    private static double Rate(long part, long whole) => whole == 0 ? double.NaN : (double)part / whole;
}
