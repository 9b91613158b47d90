using Tend.Evaluation.Uncertainty;

namespace Tend.Evaluation.Tests;

public class UncertaintyTests
{
    /// <summary>scipy.stats.binomtest(k, n, 0.5).pvalue from SciPy 1.10.1 (tests/reference/evaluation_references.py).</summary>
    [Theory]
    [InlineData(3, 20, 0.0025768280029296875)]
    [InlineData(40, 100, 0.05688793364098088)]
    [InlineData(4, 20, 0.01181793212890625)]
    [InlineData(10, 20, 1.0)]
    public void TwoSidedBinomial_MatchesScipy(long k, long n, double expected) =>
        Assert.Equal(expected, McNemar.TwoSidedBinomial(k, n), 12);

    [Fact]
    public void McNemar_CountsTheDiscordantRows_AsScipyDoes()
    {
        var (y, p, _, _) = Fixtures.Binary();
        var atHalf = ScoredRows.Binary(y, p).Correct();
        var atFortyPercent = y.Select((label, i) => label == p[i] >= 0.4).ToArray();
        var test = McNemar.Test(atHalf, atFortyPercent);
        Assert.Equal((16L, 4L), (test.OnlyFirst, test.OnlySecond));
        Assert.Equal(0.01181793212890625, test.PValue, 12);
    }

    [Fact]
    public void TwoSidedBinomial_LargeCounts_DoNotUnderflow()
    {
        // Normal approximation: z = (4900 - 5000) / 50 = -2, two-sided p ≈ 0.0455 (0.0466 with the continuity correction).
        Assert.InRange(McNemar.TwoSidedBinomial(4900, 10000), 0.044, 0.048);
    }

    [Fact]
    public void Bootstrap_IsSeeded_AndItsWidthMatchesTheBinomialStandardError()
    {
        var (y, p, _, _) = Fixtures.Binary();
        var rows = ScoredRows.Binary(y, p);
        var interval = Bootstrap.Of(rows, "accuracy", 1000, 42);
        Assert.Equal(interval, Bootstrap.Of(rows, "accuracy", 1000, 42));
        Assert.NotEqual(interval.Low, Bootstrap.Of(rows, "accuracy", 1000, 7).Low);
        // The 95 % interval of a proportion is about ±1.96·√(p(1−p)/n): for 0.8367 on 300 rows, ±0.0418.
        var half = 1.96 * Math.Sqrt(0.8366666666666667 * (1 - 0.8366666666666667) / 300);
        Assert.InRange(interval.High - interval.Low, 2 * half * 0.85, 2 * half * 1.15);
        Assert.InRange(interval.Value, interval.Low, interval.High);
        Assert.Equal(0, interval.Undefined);
    }

    [Fact]
    public void PairedBootstrap_OfAModelWithItself_IsZero_AndOfABetterOne_ExcludesZero()
    {
        var (y, p, _, _) = Fixtures.Binary();
        var model = ScoredRows.Binary(y, p);
        var same = Bootstrap.Difference(model, model, "auc", 500, 1);
        Assert.Equal((0.0, 0.0, 0.0), (same.Value, same.Low, same.High));
        // A worse model: the same scores with 40 % of them replaced by noise.
        var random = new Random(3);
        var worse = ScoredRows.Binary(y, p.Select(v => random.NextDouble() < 0.4 ? random.NextDouble() : v).ToArray());
        var comparison = ChampionComparison.Compare(1, model, worse, ["auc", "accuracy"], 500, 1);
        Assert.True(comparison.Of("auc")!.SignificantlyBetter);
        Assert.True(comparison.Of("auc")!.Difference.Low > 0);
        Assert.False(ChampionComparison.Compare(1, worse, model, ["auc"], 500, 1).Of("auc")!.SignificantlyBetter);
        Assert.NotNull(comparison.McNemar);
    }
}
