using Tend.Data.Profiling.Sketches;

namespace Tend.Data.Tests;

/// <summary>The streaming sketches meet the error bounds they state, on data large enough to use them.</summary>
public class SketchTests
{
    [Fact]
    public void QuantileSketch_RankErrorStaysWithinItsStatedBound()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 1_000_000).Select(_ => Math.Exp(random.NextDouble() * 10)).ToArray();
        var sketch = new QuantileSketch();
        foreach (var v in values)
            sketch.Add(v);
        var sorted = values.Order().ToArray();
        var (points, weights) = sketch.Points();
        Assert.Equal(values.Length, weights.Sum());
        Assert.True(sketch.RankError is > 0 and < 0.01, $"rank error bound {sketch.RankError}");
        // For each stored point, its estimated rank (weight below it) against its true rank among the values.
        long below = 0;
        var worst = 0.0;
        for (var i = 0; i < points.Length; i++)
        {
            var trueRank = Array.BinarySearch(sorted, points[i]);
            worst = Math.Max(worst, Math.Abs(below - trueRank) / (double)values.Length);
            below += weights[i];
        }
        Assert.True(worst <= sketch.RankError, $"worst rank error {worst} above the stated {sketch.RankError}");
    }

    [Fact]
    public void QuantileSketch_WeightedAdds_KeepTheTotalAndOrder()
    {
        var sketch = new QuantileSketch();
        for (var i = 0; i < 20_000; i++)
            sketch.Add(i % 97, 1 + i % 5);
        var (points, weights) = sketch.Points();
        Assert.Equal(Enumerable.Range(0, 20_000).Sum(i => 1L + i % 5), weights.Sum());
        Assert.Equal(points.Order(), points);
    }

    [Fact]
    public void HyperLogLog_IsWithinThreeStandardErrors()
    {
        var hll = new HyperLogLog();
        for (var i = 0; i < 500_000; i++)
            hll.Add(i * 1.5);
        Assert.InRange(hll.Estimate(), 500_000 * (1 - 3 * HyperLogLog.StandardError), 500_000 * (1 + 3 * HyperLogLog.StandardError));
        var small = new HyperLogLog();
        for (var i = 0; i < 1000; i++)
            small.Add(i);
        Assert.InRange(small.Estimate(), 990, 1010); // linear counting is near exact when small
    }

    [Fact]
    public void FrequentValues_ExactBelowCapacity_MisraGriesBoundAbove()
    {
        var exact = new FrequentValues<string>(FrequentValues.Hash);
        for (var i = 0; i < 50_000; i++)
            exact.Add($"v{i % 100}");
        Assert.True(exact.Exact);
        Assert.Equal(500, exact.Counts["v7"]);

        // One heavy value among 200,000 distinct others: its count is under-estimated by at most n / capacity.
        var many = new FrequentValues<string>(FrequentValues.Hash);
        var n = 0;
        for (var i = 0; i < 200_000; i++, n += 2)
        {
            many.Add("heavy");
            many.Add($"u{i}");
        }
        Assert.False(many.Exact);
        Assert.InRange(many.Counts["heavy"], 200_000 - n / FrequentValues<string>.Capacity, 200_000);
        Assert.InRange(many.Distinct, 200_001 * (1 - 3 * HyperLogLog.StandardError), 200_001 * (1 + 3 * HyperLogLog.StandardError));
    }
}
