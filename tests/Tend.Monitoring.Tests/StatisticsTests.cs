using Tend.Monitoring.Drift;
using Tend.Monitoring.Statistics;

namespace Tend.Monitoring.Tests;

/// <summary>Expected values come from SciPy 1.10.1 / NumPy 1.24.2 / statsmodels 0.13.5 (Debian 12) on the same data: tests/reference/compute_references.py.</summary>
public class StatisticsTests
{
    // The same integer formulas as the reference script.
    private static readonly double[] Reference = Enumerable.Range(0, 200).Select(i => i * 37 % 101 / 10.0).ToArray();
    private static readonly double[] Current = Enumerable.Range(0, 150).Select(i => i * 53 % 97 / 9.0 + 0.5).ToArray();

    [Fact]
    public void Psi_AgreesWithTheBaselineScript()
    {
        Assert.Equal(0.08065650397540093, Psi.Compute(Reference, Current), 12);
    }

    public static TheoryData<string, double[], double[], double, double> KsCases() => new()
    {
        { "unequal 200 vs 150", Reference, Current, 0.10666666666666667, 0.2670091673604593 },
        { "equal 50 vs 50", Series(50, i => i * 7 % 50 / 5.0), Series(50, i => i * 11 % 50 / 5.0 + 0.9), 0.1, 0.9667464356809096 },
        { "shifted 300 vs 120", Series(300, i => i * 37 % 101 / 10.0), Series(120, i => i * 13 % 89 / 8.0 + 3.0), 0.35333333333333333, 5.395215652233695e-10 },
        { "ties 40 vs 60", Series(40, i => i % 5), Series(60, i => i % 6), 0.16666666666666666, 0.4841355548719905 },
    };

    private static double[] Series(int count, Func<int, double> value) => Enumerable.Range(0, count).Select(value).ToArray();

    [Theory]
    [MemberData(nameof(KsCases))]
    public void KolmogorovSmirnov_AgreesWithKs2samp(string name, double[] reference, double[] current, double statistic, double pValue)
    {
        var (d, p) = KolmogorovSmirnov.Compute(reference, current);
        Assert.Equal(statistic, d, 12);
        Assert.True(Math.Abs(pValue - p) <= 1e-9 * pValue + 1e-15, $"{name}: p {p}, scipy {pValue}");
    }

    [Theory]
    [InlineData(0.3, 0.9999906941986655)]
    [InlineData(0.5, 0.9639452436648751)]
    [InlineData(0.8, 0.5441424115741981)]
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(1.36, 0.049485876755377876)]
    [InlineData(2.0, 0.0006709252557796953)]
    public void KolmogorovSurvival_AgreesWithKstwobign(double y, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.KolmogorovSurvival(y), 10);
    }

    [Fact]
    public void ChiSquare_AgreesWithChi2Contingency()
    {
        string[] reference = [.. Enumerable.Repeat("a", 50), .. Enumerable.Repeat("b", 30), .. Enumerable.Repeat("c", 20)];
        string[] current = [.. Enumerable.Repeat("a", 30), .. Enumerable.Repeat("b", 30), .. Enumerable.Repeat("c", 25), .. Enumerable.Repeat("d", 5)];
        var (statistic, p) = ChiSquare.Compute(reference, current);
        Assert.Equal(10.057098765432098, statistic, 10);
        Assert.Equal(0.018086958782689507, p, 10);
    }

    [Theory]
    [InlineData(0.5, 1, 0.47950012218695337)]
    [InlineData(3.84, 1, 0.05004352124870519)]
    [InlineData(10.0, 3, 0.01856613546304325)]
    [InlineData(30.0, 10, 0.000856641210775301)]
    [InlineData(200.0, 150, 0.003973185970821635)]
    public void ChiSquareSurvival_AgreesWithScipy(double x, int k, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.ChiSquareSurvival(x, k), 10);
    }

    private static readonly string[] ReferenceColors = [.. Enumerable.Repeat("a", 50), .. Enumerable.Repeat("b", 30), .. Enumerable.Repeat("c", 20)];
    private static readonly string[] CurrentColors = [.. Enumerable.Repeat("a", 30), .. Enumerable.Repeat("b", 30), .. Enumerable.Repeat("c", 25), .. Enumerable.Repeat("d", 5)];

    [Fact]
    public void Wasserstein_AgreesWithScipy_AndIsNormedByTheReferenceStandardDeviation()
    {
        Assert.Equal(0.7355, Wasserstein.Distance(Reference, Current), 12);
        Assert.Equal(0.25155437971836825, Wasserstein.Normed(Reference, Current), 12);
        Assert.Equal(0, Wasserstein.Normed([2, 2, 2], [2, 2]));
        Assert.Equal(double.PositiveInfinity, Wasserstein.Normed([2, 2, 2], [2, 3]));
    }

    [Fact]
    public void JensenShannon_AgreesWithScipyInBase2_OnDecileBinsAndOnCategories()
    {
        var numbers = new JensenShannon().Score(ColumnSample.Of(Reference), ColumnSample.Of(Current));
        Assert.Equal(0.11971465035499519, numbers.Value, 12);
        var categories = new JensenShannon().Score(ColumnSample.Of(ReferenceColors), ColumnSample.Of(CurrentColors));
        Assert.Equal(0.21237186140926287, categories.Value, 12);
        Assert.Equal(0, JensenShannon.Distance([0.5, 0.5, 0], [0.5, 0.5, 0]));
        Assert.Equal(1, JensenShannon.Distance([1, 0], [0, 1]), 12);
    }

    [Fact]
    public void Hellinger_AgreesWithNumpy_OnDecileBinsAndOnCategories()
    {
        Assert.Equal(0.1000361468007358, new Hellinger().Score(ColumnSample.Of(Reference), ColumnSample.Of(Current)).Value, 12);
        Assert.Equal(0.19955370987226273, new Hellinger().Score(ColumnSample.Of(ReferenceColors), ColumnSample.Of(CurrentColors)).Value, 12);
        Assert.Equal(1, Hellinger.Distance([1, 0], [0, 1]), 12);
    }

    [Fact]
    public void ChiSquare_AgreesWithChisquareOnTheFlattenedTable()
    {
        // scipy.stats.chisquare(observed.ravel(), expected.ravel(), ddof=K) gives the same statistic and p-value as chi2_contingency.
        var (statistic, p) = new ChiSquare().Score(ColumnSample.Of(ReferenceColors), ColumnSample.Of(CurrentColors));
        Assert.Equal(10.057098765432098, statistic, 10);
        Assert.Equal(0.018086958782689507, p!.Value, 10);
    }

    [Fact]
    public void ProportionZ_AgreesWithStatsmodels()
    {
        var (z, p) = ProportionZ.Compute(45, 200, 30, 150);
        Assert.Equal(-0.564076074817766, z, 12);
        Assert.Equal(0.5727023597783104, p, 12);
        Assert.Equal((0.0, 1.0), ProportionZ.Compute(0, 10, 0, 20));
    }

    [Theory]
    [InlineData(0.1, 0.920344325445942)]
    [InlineData(1.0, 0.31731050786291415)]
    [InlineData(1.959963984540054, 0.05)]
    [InlineData(-3.0, 0.0026997960632601866)]
    [InlineData(6.0, 1.973175290075389e-09)]
    public void NormalTwoSided_AgreesWithScipy(double z, double expected)
    {
        Assert.True(Math.Abs(SpecialFunctions.NormalTwoSided(z) - expected) <= 1e-12 * expected, $"{SpecialFunctions.NormalTwoSided(z)} vs {expected}");
    }

    [Fact]
    public void EveryStatistic_IsKnownToTheSpec_AndSaysWhereItsThresholdComesFrom()
    {
        Assert.Equal(Tend.Core.Spec.MonitorSpec.Statistics, Tend.Monitoring.Drift.DriftStatistics.All.Select(s => s.Descriptor.Name));
        Assert.All(Tend.Monitoring.Drift.DriftStatistics.All, s =>
        {
            Assert.NotEmpty(s.Descriptor.Types);
            Assert.InRange(s.Descriptor.DefaultThreshold, 1e-9, 1);
            Assert.False(string.IsNullOrWhiteSpace(s.Descriptor.ThresholdSource));
        });
    }

    /// <summary>
    /// Above 10,000 distinct values a side is a quantile sketch: KS's D stays within the two sides' rank errors of the
    /// exact D, computed here from the sorted raw values.
    /// </summary>
    [Fact]
    public void KolmogorovSmirnov_OnSketchedSides_StaysWithinTheirRankError()
    {
        var random = new Random(7);
        var a = Enumerable.Range(0, 60_000).Select(_ => random.NextDouble() * 10).ToArray();
        var b = Enumerable.Range(0, 45_000).Select(_ => Math.Pow(random.NextDouble(), 1.1) * 10).ToArray();
        var (sa, sb) = (ColumnSample.Of(a), ColumnSample.Of(b));
        Assert.False(sa.Numbers!.Exact);

        var (d, p) = KolmogorovSmirnov.Compute(sa.Numbers!, sb.Numbers!);

        Array.Sort(a);
        Array.Sort(b);
        double exact = 0;
        foreach (var x in a.Concat(b))
            exact = Math.Max(exact, Math.Abs(UpperBound(a, x) / (double)a.Length - UpperBound(b, x) / (double)b.Length));
        Assert.InRange(d, exact - sa.RankError - sb.RankError, exact + sa.RankError + sb.RankError);
        Assert.InRange(sa.RankError + sb.RankError, 1e-6, 0.01);
        Assert.True(p < 1e-6, $"p = {p}: 105,000 values drawn from two different distributions must be told apart");
    }

    private static int UpperBound(double[] sorted, double x)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid] <= x) low = mid + 1; else high = mid;
        }
        return low;
    }
}

