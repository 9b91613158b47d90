using Tend.Monitoring.Performance;

namespace Tend.Monitoring.Tests;

public class ConfidenceBasedEstimateTests
{
    [Fact]
    public void Estimate_IsTheExpectedConfusionMatrix()
    {
        // Predicted positive at 0.9 and 0.6: TP 1.5, FP 0.5. Predicted negative at 0.2 and 0.1: FN 0.3, TN 1.7.
        var estimate = ConfidenceBasedEstimate.Estimate([(true, 0.9), (true, 0.6), (false, 0.2), (false, 0.1)]);
        Assert.Equal(3.2 / 4, estimate["accuracy"], 12);
        Assert.Equal(1.5 / 2, estimate["precision"], 12);
        Assert.Equal(1.5 / 1.8, estimate["recall"], 12);
        Assert.Equal(2 * 0.75 * (1.5 / 1.8) / (0.75 + 1.5 / 1.8), estimate["f1"], 12);
    }

    [Fact]
    public void Realized_AgreesWithScikitLearnsDefinitions()
    {
        // sklearn.metrics on y_true [1, 0, 1, 0, 0], y_pred [1, 1, 0, 0, 0]: accuracy 0.6, precision 0.5, recall 0.5, f1 0.5.
        var realized = ConfidenceBasedEstimate.Realized([(true, true), (true, false), (false, true), (false, false), (false, false)]);
        Assert.Equal((0.6, 0.5, 0.5, 0.5), (realized["accuracy"], realized["precision"], realized["recall"], realized["f1"]));
    }

    /// <summary>With calibrated probabilities (labels drawn with exactly the stated probability) the estimate meets the realized metrics.</summary>
    [Fact]
    public void Estimate_OfCalibratedProbabilities_MatchesWhatLabelsLaterShow()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var p = Math.Pow(random.NextDouble(), 2);
            return (Predicted: p >= 0.5, Probability: p, Positive: random.NextDouble() < p);
        }).ToList();
        var estimate = ConfidenceBasedEstimate.Estimate(rows.Select(r => (r.Predicted, r.Probability)).ToList());
        var realized = ConfidenceBasedEstimate.Realized(rows.Select(r => (r.Predicted, r.Positive)).ToList());
        foreach (var metric in ConfidenceBasedEstimate.Metrics)
            Assert.True(Math.Abs(estimate[metric] - realized[metric]) < 0.015, $"{metric}: estimated {estimate[metric]}, realized {realized[metric]}");
    }
}
