using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Tests;

public class DatasetDriftTests
{
    [Fact]
    public void BenjaminiHochberg_WithEqualWeights_AgreesWithStatsmodels()
    {
        // statsmodels 0.13.5 multipletests(p, method="fdr_bh"), tests/reference/compute_references.py.
        double[] p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
        double[] expected = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.10571428571428572, 0.216, 0.216, 0.216];
        var adjusted = DatasetDrift.WeightedBenjaminiHochberg(p, p.Select(_ => 1.0).ToArray());
        Assert.All(expected.Zip(adjusted), pair => Assert.Equal(pair.First, pair.Second, 12));
    }

    [Fact]
    public void BenjaminiHochberg_Weighted_DividesEachPValueByItsWeight()
    {
        // p / w = 0.01, 0.04, 0.06: the adjusted values are 3 / k times those, made monotone.
        var adjusted = DatasetDrift.WeightedBenjaminiHochberg([0.02, 0.02, 0.03], [2, 0.5, 0.5]);
        Assert.Equal([0.03, 0.06, 0.06], adjusted.Select(v => Math.Round(v, 12)));
    }

    private static FeatureDrift Test(string name, double p) => new(name, ColumnType.Numeric, "ks", 0.1, p, 0.05, p <= 0.05, new Dictionary<string, double>());

    private static FeatureDrift Distance(string name, double value) => new(name, ColumnType.Numeric, "wasserstein", value, null, 0.1, value >= 0.1, new Dictionary<string, double>());

    [Fact]
    public void Judge_PredictionDrift_DecidesFirst_WithHalfTheWeight()
    {
        // Four feature tests and the prediction: m = 5, the prediction weighs 2.5, each feature 0.625.
        FeatureDrift[] features = [Test("a", 0.5), Test("b", 0.6), Test("c", 0.7), Test("d", 0.8)];
        var verdict = DatasetDrift.Judge(features, Test("prediction", 0.02), new MonitorSpec());
        Assert.True(verdict.Drifted);
        Assert.Equal(DatasetDrift.PredictionRule, verdict.Rule);
        Assert.Equal(0.02 / 2.5 * 5, verdict.Prediction!.AdjustedPValue!.Value, 12);
        Assert.All(verdict.Features, f => Assert.False(f.Drifted));
        // Alone among five equal tests the same p-value would not survive: 0.02 · 5 = 0.1.
        Assert.False(DatasetDrift.Judge([.. features, Test("e", 0.02)], null, new MonitorSpec()).Drifted);
    }

    [Fact]
    public void Judge_OneFeatureSignificantAfterCorrection_IsDatasetDrift_ByBenjaminiHochberg()
    {
        var verdict = DatasetDrift.Judge([Test("a", 0.001), Test("b", 0.4), Test("c", 0.03), Distance("d", 0.05)], null, new MonitorSpec());
        Assert.Equal((true, DatasetDrift.CorrectedTestRule), (verdict.Drifted, verdict.Rule));
        // Three tests: a 0.001 · 3 = 0.003, c 0.03 · 3 / 2 = 0.045, b 0.4; the distance keeps its own verdict.
        Assert.Equal([0.003, 0.4, 0.045, double.NaN], verdict.Features.Select(f => Math.Round(f.AdjustedPValue ?? double.NaN, 12)));
        Assert.Equal([true, false, true, false], verdict.Features.Select(f => f.Drifted));
    }

    [Fact]
    public void Judge_Distances_OneOverItsThresholdIsEnough_UnlessAShareIsAskedFor()
    {
        FeatureDrift[] features = [Distance("a", 0.3), Distance("b", 0.05), Distance("c", 0.02), Distance("d", 0.01)];
        Assert.Equal((true, DatasetDrift.DistanceRule, 0.25), DatasetDrift.Judge(features, null, new MonitorSpec()) is var v ? (v.Drifted, v.Rule, v.Share) : default);
        Assert.Equal((false, DatasetDrift.NoRule), DatasetDrift.Judge(features, null, new MonitorSpec(DriftShare: 0.5)) is var w ? (w.Drifted, w.Rule) : default);
        Assert.Equal((false, DatasetDrift.NoRule), DatasetDrift.Judge([Distance("a", 0.05)], null, new MonitorSpec()) is var x ? (x.Drifted, x.Rule) : default);
    }
}
