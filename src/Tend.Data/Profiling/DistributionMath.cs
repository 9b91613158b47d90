using Tend.Core.Domain;

namespace Tend.Data.Profiling;

/// <summary>Quantiles and decile bins of a weighted distribution, with numpy's conventions, so exact distributions give numpy's numbers.</summary>
public static class DistributionMath
{
    public const int Bins = 10;

    public static long Count(Distribution d) => d.Weights.Sum();

    /// <summary>numpy.quantile's default (linear interpolation between order statistics).</summary>
    public static double Quantile(Distribution d, double q)
    {
        var n = Count(d);
        var position = q * (n - 1);
        var lower = (long)Math.Floor(position);
        var a = OrderStatistic(d, lower);
        var b = OrderStatistic(d, Math.Min(lower + 1, n - 1));
        return a + (position - lower) * (b - a);
    }

    /// <summary>The k-th smallest value (0-based).</summary>
    public static double OrderStatistic(Distribution d, long k)
    {
        long seen = 0;
        for (var i = 0; i < d.Values.Count; i++)
        {
            seen += d.Weights[i];
            if (seen > k)
                return d.Values[i];
        }
        return d.Values[^1];
    }

    /// <summary>Inner edges at the 10 %, …, 90 % quantiles with duplicates merged: the bins PSI compares.</summary>
    public static double[] DecileEdges(Distribution d) =>
        Enumerable.Range(1, Bins - 1).Select(i => Quantile(d, i / (double)Bins)).Distinct().ToArray();

    /// <summary>The bin of a value: the first edge at or above it (numpy.searchsorted, side="left").</summary>
    public static int BinOf(IReadOnlyList<double> edges, double value)
    {
        int lo = 0, hi = edges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (edges[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public static Histogram Histogram(Distribution d)
    {
        var edges = DecileEdges(d);
        var counts = new int[edges.Length + 1];
        for (var i = 0; i < d.Values.Count; i++)
            counts[BinOf(edges, d.Values[i])] += (int)d.Weights[i];
        return new Histogram(edges, counts, d.Values[0], d.Values[^1]);
    }

    /// <summary>The two-sample KS statistic: the largest gap between the two empirical CDFs.</summary>
    public static double KsStatistic(Distribution a, Distribution b)
    {
        double na = Count(a), nb = Count(b), ca = 0, cb = 0, d = 0;
        int i = 0, j = 0;
        while (i < a.Values.Count || j < b.Values.Count)
        {
            var x = j >= b.Values.Count || (i < a.Values.Count && a.Values[i] <= b.Values[j]) ? a.Values[i] : b.Values[j];
            while (i < a.Values.Count && a.Values[i] == x) ca += a.Weights[i++];
            while (j < b.Values.Count && b.Values[j] == x) cb += b.Weights[j++];
            d = Math.Max(d, Math.Abs(ca / na - cb / nb));
        }
        return d;
    }
}
