using Tend.Core.Spec;
using Tend.Evaluation.Metrics;

namespace Tend.Evaluation.Tests;

/// <summary>
/// Every expected value is printed by tests/reference/evaluation_references.py with scikit-learn 1.2.1 (numpy 1.24.2,
/// Debian 12) on the same fixture rows: roc_auc_score, average_precision_score, brier_score_loss, roc_curve,
/// precision_recall_curve, calibration_curve, precision_recall_fscore_support, confusion_matrix, mean_absolute_percentage_error.
/// </summary>
public class ScikitLearnAgreementTests
{
    [Fact]
    public void BinaryMetrics_MatchScikitLearn()
    {
        var (y, p, _, _) = Fixtures.Binary();
        var m = BinaryMetrics.Compute(y, p);
        Assert.Equal(0.9433276193444496, m["auc"], 12);
        Assert.Equal(0.8815341976839227, m["pr_auc"], 12);
        Assert.Equal(0.8366666666666667, m["accuracy"], 12);
        Assert.Equal(0.6746031746031746, m["precision"], 12);
        Assert.Equal(0.9139784946236559, m["recall"], 12);
        Assert.Equal(0.7762557077625571, m["f1"], 12);
        Assert.Equal(0.36830877854477345, m["log_loss"], 12);
        Assert.Equal(0.11377733333333334, m["brier"], 12);
        Assert.Equal(Core.Spec.Metrics.Binary.Order(), m.Keys.Order());
    }

    [Fact]
    public void Curves_MatchScikitLearn()
    {
        var (y, p, _, _) = Fixtures.Binary();
        var curves = BinaryCurves.Compute(y, p);
        Assert.Equal(97, curves.Roc.Count);
        Assert.Equal((0.004830917874396135, 0.3118279569892473, 0.9), (curves.Roc[10].X, curves.Roc[10].Y, curves.Roc[10].Threshold!.Value));
        Assert.Equal(97, curves.PrecisionRecall.Count); // 96 thresholds and the end point (recall 0, precision 1)
        Assert.Equal((1.0, 0.3381818181818182, 0.06), (curves.PrecisionRecall[5].X, curves.PrecisionRecall[5].Y, curves.PrecisionRecall[5].Threshold!.Value));
        Assert.Equal(new CurvePoint(0, 1, null), curves.PrecisionRecall[^1]);
        double[] fraction = [0.0, 0.0, 0.02631578947368421, 0.12, 0.2, 0.2916666666666667, 0.6, 0.6923076923076923, 0.8461538461538461, 0.9629629629629629];
        double[] mean = [0.05905660377358491, 0.1429268292682927, 0.2565789473684211, 0.354, 0.45400000000000007, 0.5595833333333333, 0.648, 0.7473076923076925, 0.8580769230769232, 0.9466666666666669];
        Assert.Equal(fraction, curves.Calibration.Select(b => b.FractionPositive), Close);
        Assert.Equal(mean, curves.Calibration.Select(b => b.MeanPredicted), Close);
        Assert.Equal(300, curves.Calibration.Sum(b => b.Count));
    }

    [Fact]
    public void OperatingPoint_ByEachRule_MatchesTheCurve()
    {
        var (y, p, _, _) = Fixtures.Binary();
        var maxF1 = OperatingPoint.Choose(y, p, ThresholdRule.Default);
        Assert.Equal(0.55, maxF1.Threshold);
        Assert.Equal(0.8173076923076923, maxF1.F1, 12);
        Assert.Equal([[177L, 30L], [8L, 85L]], maxF1.ConfusionMatrix);
        var precision = OperatingPoint.Choose(y, p, new ThresholdRule(ThresholdRule.Precision, 0.8));
        Assert.Equal((0.65, 0.8222222222222222, 0.7956989247311828), (precision.Threshold, precision.Precision, precision.Recall));
        var recall = OperatingPoint.Choose(y, p, new ThresholdRule(ThresholdRule.Recall, 0.9));
        Assert.Equal((0.55, 0.7391304347826086, 0.9139784946236559), (recall.Threshold, recall.Precision, recall.Recall));
        var unreachable = OperatingPoint.Choose(y, p, new ThresholdRule(ThresholdRule.Precision, 1.01));
        Assert.Equal(0.55, unreachable.Threshold);
        Assert.Contains("max F1 used instead", unreachable.Note);
        Assert.Equal(0.3, OperatingPoint.Choose(y, p, new ThresholdRule(ThresholdRule.Fixed, 0.3)).Threshold);
    }

    [Fact]
    public void Multiclass_MatchesScikitLearn()
    {
        var (y, p) = Fixtures.Multiclass();
        var m = MulticlassMetrics.Compute(y, p);
        Assert.Equal(0.7466666666666667, m["micro_accuracy"], 12);
        Assert.Equal(0.740875420875421, m["macro_accuracy"], 12);
        Assert.Equal(0.7424612424612426, m["macro_f1"], 12);
        Assert.Equal(0.5974006992615812, m["log_loss"], 12);
        var confusion = MulticlassMetrics.Confusion(y, p);
        Assert.Equal([[29L, 9L, 7L], [6L, 45L, 4L], [4L, 8L, 38L]], confusion);
        var perClass = MulticlassMetrics.PerClass(confusion, ["a", "b", "c"]);
        Assert.Equal([0.7435897435897436, 0.7258064516129032, 0.7755102040816326], perClass.Select(c => c.Precision), Close);
        Assert.Equal([0.6444444444444445, 0.8181818181818182, 0.76], perClass.Select(c => c.Recall), Close);
        Assert.Equal([0.6904761904761906, 0.7692307692307693, 0.7676767676767676], perClass.Select(c => c.F1), Close);
        Assert.Equal([45L, 55L, 50L], perClass.Select(c => c.Support));
    }

    [Fact]
    public void Regression_MatchesScikitLearn_AndMapeSkipsZeroLabels()
    {
        var (y, p) = Fixtures.Regression();
        var m = RegressionMetrics.Compute(y, p);
        Assert.Equal(14.99186779557504, m["rmse"], 10);
        Assert.Equal(12.012, m["mae"], 10);
        Assert.Equal(0.9560706616247392, m["r2"], 12);
        Assert.Equal(0.19365744494367323, m["mape"], 12); // on the 194 non-zero labels
        Assert.Equal(6, RegressionMetrics.ZeroLabels(y));
        Assert.True(double.IsNaN(RegressionMetrics.Compute([0.0, 0.0], [1.0, 2.0])["mape"]));
    }

    private static readonly IEqualityComparer<double> Close = EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) < 1e-12, v => 0);
}
