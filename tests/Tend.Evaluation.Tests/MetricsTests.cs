using Tend.Core.Spec;
using Tend.Evaluation.Gates;
using Tend.Evaluation.Metrics;

namespace Tend.Evaluation.Tests;

/// <summary>Every expected value comes from scikit-learn 1.2.1 on the same data: tests/reference/compute_references.py.</summary>
public class MetricsTests
{
    [Fact]
    public void Binary_AgreesWithScikitLearn()
    {
        bool[] y = [true, false, true, true, false, false, true, false, true, false, true, true, false, false, false, true, false, true, false, false];
        double[] p = [0.9, 0.1, 0.8, 0.35, 0.4, 0.2, 0.7, 0.6, 0.55, 0.05, 0.9, 0.45, 0.3, 0.35, 0.1, 0.65, 0.5, 0.99, 0.01, 0.6];
        var m = BinaryMetrics.Compute(y, p);
        Assert.Equal(0.9040404040404041, m["auc"], 12);
        Assert.Equal(0.75, m["accuracy"], 12);
        Assert.Equal(0.7, m["precision"], 12);
        Assert.Equal(0.7777777777777778, m["recall"], 12);
        Assert.Equal(0.7368421052631577, m["f1"], 12);
        Assert.Equal(0.3998379970481484, m["log_loss"], 12);
    }

    [Fact]
    public void Multiclass_AgreesWithScikitLearn()
    {
        int[] y = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2];
        double[][] p =
        [
            [0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.1, 0.4], [0.3, 0.4, 0.3],
            [0.4, 0.5, 0.1], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4],
        ];
        var m = MulticlassMetrics.Compute(y, p);
        Assert.Equal(0.8, m["micro_accuracy"], 12);
        Assert.Equal(0.8055555555555555, m["macro_accuracy"], 12);
        Assert.Equal(0.6134133237986267, m["log_loss"], 12);
    }

    [Fact]
    public void Regression_AgreesWithScikitLearn()
    {
        var m = RegressionMetrics.Compute([3.0, -0.5, 2.0, 7.0, 4.2, 1.1, 0.0, 5.5], [2.5, 0.0, 2.1, 7.8, 3.9, 1.0, -0.3, 6.1]);
        Assert.Equal(0.4609772228646443, m["rmse"], 12);
        Assert.Equal(0.4, m["mae"], 12);
        Assert.Equal(0.9654392518614521, m["r2"], 12);
    }

    [Fact]
    public void Auc_OneClassOnly_IsNaN()
    {
        Assert.True(double.IsNaN(BinaryMetrics.Auc([true, true], [0.2, 0.9])));
    }

    [Fact]
    public void Gates_SayWhichFailedAndWhy()
    {
        var results = GateCheck.Check(new GateEvidence(new Dictionary<string, double> { ["auc"] = 0.91, ["log_loss"] = 0.4 }),
            [new Gate("auc", 0.95), new Gate("log_loss", Max: 0.5), new Gate("f1", 0.5)]);
        Assert.Equal([false, true, false], results.Select(r => r.Passed));
        Assert.Equal("auc 0.91 is below the bar 0.95", results[0].Reason);
        Assert.Equal("f1 was not measured", results[2].Reason);
    }
}
