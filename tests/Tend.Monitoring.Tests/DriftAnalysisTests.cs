using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Tests;

public class DriftAnalysisTests
{
    private static readonly (string, ColumnType)[] Features = [("x", ColumnType.Numeric), ("color", ColumnType.Categorical)];

    /// <summary>Normal numbers (Box-Muller on a seeded generator) and colours drawn with the given shares.</summary>
    private static Table Sample(int seed, int rows, double shift, double redShare)
    {
        var random = new Random(seed);
        return new Table(["x", "color"], Enumerable.Range(0, rows).Select(_ =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return new string?[] { Cells.Format(normal + shift), random.NextDouble() < redShare ? "red" : "blue" };
        }).ToList());
    }

    [Theory]
    [InlineData("ks")]
    [InlineData("psi")]
    public void Compare_ShiftedSample_Drifts(string statistic)
    {
        var drift = DriftAnalysis.Compare(Sample(1, 3000, 0, 0.3), Sample(2, 1000, 0.5, 0.6), Features, new MonitorSpec(Statistic: statistic));
        Assert.All(drift, f => Assert.True(f.Drifted, $"{f.Name} by {f.Statistic}: {f.Value}"));
        Assert.Equal(statistic, drift[0].Statistic);
        Assert.Equal("chi_square", drift[1].Statistic);
    }

    [Fact]
    public void Compare_ReportsTheShareOfMissingValuesOnEachSide()
    {
        var current = Sample(2, 100, 0, 0.3);
        var withGaps = new Table(current.Columns, current.Rows.Select((r, i) => i % 4 == 0 ? new string?[] { null, r[1] } : r).ToList());
        var drift = DriftAnalysis.Compare(Sample(1, 400, 0, 0.3), withGaps, Features, new MonitorSpec());
        Assert.Equal(0.25, drift[0].Details["missing_share"]);
        Assert.Equal(0, drift[0].Details["reference_missing_share"]);
        Assert.Equal(0, drift[1].Details["missing_share"]);
    }

    /// <summary>
    /// A test at the 5 % level flags about 1 in 20 samples of an unchanged distribution (a false alarm); over 40
    /// independent windows it must stay near that rate, and PSI (a distance, not a test) must never reach 0.2.
    /// </summary>
    [Theory]
    [InlineData("ks", 6)]
    [InlineData("psi", 0)]
    public void Compare_SamplesFromTheSameDistribution_RarelyDrift(string statistic, int maxAlarms)
    {
        var reference = Sample(1, 3000, 0, 0.3);
        var windows = Enumerable.Range(100, 40).Select(seed => DriftAnalysis.Compare(reference, Sample(seed, 1000, 0, 0.3), Features, new MonitorSpec(Statistic: statistic))).ToList();
        Assert.InRange(windows.Count(w => w[0].Drifted), 0, maxAlarms);
        Assert.InRange(windows.Count(w => w[1].Drifted), 0, 6);
        Assert.Contains("psi", windows[0][0].Details.Keys);
        Assert.Contains("ks_p_value", windows[0][0].Details.Keys);
        Assert.Equal(0, windows[0][0].Details["missing_share"]);
    }

    [Fact]
    public void Threshold_IsTheMonitorsOwnForTheStatisticsItNames_ElseTheDefault()
    {
        var settings = new MonitorSpec(PValue: 0.01, Thresholds: new Dictionary<string, double> { ["psi"] = 0.25 });
        Assert.Equal(0.25, DriftAnalysis.Threshold(DriftStatistics.Named("psi").Descriptor, settings));
        Assert.Equal(0.1, DriftAnalysis.Threshold(DriftStatistics.Named("wasserstein").Descriptor, settings));
        Assert.Equal(0.01, DriftAnalysis.Threshold(DriftStatistics.Named("ks").Descriptor, settings));
    }

    [Fact]
    public void Compare_LargeWindows_AreJudgedByDistances()
    {
        var drift = DriftAnalysis.Compare(Sample(1, 12_000, 0, 0.3), Sample(2, 11_000, 0.05, 0.3), Features, new MonitorSpec());
        Assert.Equal(["wasserstein", "jensen_shannon"], drift.Select(f => f.Statistic));
        Assert.All(drift, f => Assert.False(f.Drifted, $"{f.Name}: {f.Value}")); // a twentieth of a standard deviation is under the 0.1 bar
        Assert.Null(drift[0].PValue);
    }

    [Fact]
    public void Compare_ReportsTypeViolations_OutOfRangeValues_AndUnseenCategories()
    {
        var reference = new Table(["x", "color"], Enumerable.Range(0, 100).Select(i => new string?[] { Cells.Format(i), i % 2 == 0 ? "red" : "blue" }).ToList());
        // 10 rows: "n/a" and "-" are not numbers; -5 and 250 lie outside [0, 99]; "green" was never seen.
        string?[][] rows = [["n/a", "red"], ["-", "red"], ["-5", "green"], ["250", "green"], ["3", "green"], ["4", "blue"], ["5", "red"], ["6", "red"], ["7", null], ["8", "blue"]];
        var drift = DriftAnalysis.Compare(reference, new Table(["x", "color"], rows), Features, new MonitorSpec());
        Assert.Equal(0.2, drift[0].Details["type_violation_share"], 12);
        Assert.Equal(2 / 8.0, drift[0].Details["out_of_range_share"], 12);
        Assert.Equal(3, drift[1].Details["unseen_categories"]);
        Assert.Equal(0.1, drift[1].Details["missing_share"], 12);
        Assert.False(drift[1].Details.ContainsKey("type_violation_share"));
    }
}


public class IntegerCodedCategoryTests
{
    /// <summary>Labels 0, 1, 2 as a dataset's profile keeps them (a numeric column, every value with its count) and as feedback sends them (texts).</summary>
    [Fact]
    public void AnIntegerCodedColumnJudgedAsCategories_ReadsItsProfilesExactCounts_AsTheSameCategoriesATableWouldGive()
    {
        var profile = new DataProfile(1000, [new ColumnProfile("class", ColumnType.Numeric, 1000, 0, 3, Distribution: new Distribution([0, 1, 2], [500, 300, 200], Exact: true))]);
        var reference = new Table(["class"], Rows(("0", 500), ("1", 300), ("2", 200)));
        var current = new Table(["class"], Rows(("0", 200), ("1", 300), ("2", 500)));
        (string, ColumnType)[] label = [("class", ColumnType.Categorical)];

        var fromProfile = Assert.Single(DriftAnalysis.Compare(DriftAnalysis.Of(profile), DriftAnalysis.Of(current), label, new MonitorSpec()));
        var fromTable = Assert.Single(DriftAnalysis.Compare(reference, current, label, new MonitorSpec()));

        Assert.True(fromProfile.Drifted);
        Assert.Equal((fromTable.Statistic, fromTable.Value, fromTable.PValue), (fromProfile.Statistic, fromProfile.Value, fromProfile.PValue));
    }

    private static List<string?[]> Rows(params (string Value, int Count)[] counts) =>
        counts.SelectMany(c => Enumerable.Repeat(new string?[] { c.Value }, c.Count)).ToList();
}
