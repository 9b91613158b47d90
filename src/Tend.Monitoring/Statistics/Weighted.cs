using Tend.Core.Domain;

namespace Tend.Monitoring.Statistics;

/// <summary>Walks over weighted points (a <see cref="Distribution"/>: sorted distinct values with their counts) as if over every value.</summary>
public static class Weighted
{
    public static long Total(Distribution d)
    {
        long total = 0;
        foreach (var w in d.Weights)
            total += w;
        return total;
    }

    /// <summary>The q-quantile with numpy's linear interpolation between the order statistics the points stand for.</summary>
    public static double Quantile(Distribution d, double q)
    {
        var position = q * (Total(d) - 1);
        var lower = (long)Math.Floor(position);
        double below = ValueAtRank(d, lower), above = ValueAtRank(d, lower + 1);
        return below + (position - lower) * (above - below);
    }

    /// <summary>The value of the order statistic of 0-based rank <paramref name="rank"/> (the last one past the end).</summary>
    private static double ValueAtRank(Distribution d, long rank)
    {
        long seen = 0;
        for (var i = 0; i < d.Values.Count; i++)
        {
            seen += d.Weights[i];
            if (rank < seen)
                return d.Values[i];
        }
        return d.Values[^1];
    }

    /// <summary>The mean and the population standard deviation (ddof = 0).</summary>
    public static (double Mean, double Sd) Moments(Distribution d)
    {
        double total = Total(d), mean = 0, squares = 0;
        for (var i = 0; i < d.Values.Count; i++)
            mean += d.Values[i] * d.Weights[i] / total;
        for (var i = 0; i < d.Values.Count; i++)
            squares += (d.Values[i] - mean) * (d.Values[i] - mean) * d.Weights[i] / total;
        return (mean, Math.Sqrt(squares));
    }

    /// <summary>
    /// Steps through the pooled distinct values of two distributions in order, giving each step's value and both
    /// empirical distribution functions at it (the share of each side at or below it).
    /// </summary>
    public static IEnumerable<(double X, double A, double B)> Steps(Distribution a, Distribution b)
    {
        double totalA = Total(a), totalB = Total(b);
        int i = 0, j = 0;
        long belowA = 0, belowB = 0;
        while (i < a.Values.Count || j < b.Values.Count)
        {
            var x = j == b.Values.Count || (i < a.Values.Count && a.Values[i] <= b.Values[j]) ? a.Values[i] : b.Values[j];
            if (i < a.Values.Count && a.Values[i] == x) belowA += a.Weights[i++];
            if (j < b.Values.Count && b.Values[j] == x) belowB += b.Weights[j++];
            yield return (x, belowA / totalA, belowB / totalB);
        }
    }
}
