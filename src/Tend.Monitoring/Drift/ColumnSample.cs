using System.Runtime.InteropServices;
using Tend.Core.Domain;
using Tend.Data.Profiling.Sketches;

namespace Tend.Monitoring.Drift;

/// <summary>
/// One column of one window, in memory bounded by its distinct values, not its rows: numbers (booleans as 0 and 1) as a
/// <see cref="Distribution"/>, every distinct value with its count up to <see cref="NumberDistribution.ExactLimit"/>
/// of them and a quantile sketch with its rank error above; categories as counts. A stored profile holds the same
/// distribution, so the reference is never re-read.
/// </summary>
public sealed record ColumnSample(Distribution? Numbers, IReadOnlyDictionary<string, long>? Categories, double? Min = null, double? Max = null)
{
    public long Count { get; } = Numbers?.Weights.Sum() ?? Categories!.Values.Sum();

    /// <summary>The share of the numbers below <paramref name="min"/> or above <paramref name="max"/> (approximate when sketched).</summary>
    public double ShareOutside(double min, double max)
    {
        if (Numbers is not { } d || Count == 0)
            return 0;
        long outside = 0;
        for (var i = 0; i < d.Values.Count; i++)
            if (d.Values[i] < min || d.Values[i] > max)
                outside += d.Weights[i];
        return outside / (double)Count;
    }

    /// <summary>The rank error of the numbers (0 when exact).</summary>
    public double RankError => Numbers is { Exact: false } d ? d.RankError : 0;

    public static ColumnSample Of(IEnumerable<double> numbers)
    {
        var distribution = new NumberDistribution(countDistinct: false);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in numbers)
        {
            distribution.Add(value);
            (min, max) = (Math.Min(min, value), Math.Max(max, value));
        }
        return min <= max ? new ColumnSample(distribution.Result(), null, min, max) : new ColumnSample(distribution.Result(), null);
    }

    public static ColumnSample Of(IEnumerable<string> categories)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var category in categories)
            CollectionsMarshal.GetValueRefOrAddDefault(counts, category, out _)++;
        return new ColumnSample(null, counts);
    }
}
