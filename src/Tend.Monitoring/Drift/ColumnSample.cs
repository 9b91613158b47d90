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
public sealed record ColumnSample(Distribution? Numbers, IReadOnlyDictionary<string, long>? Categories)
{
    public long Count { get; } = Numbers?.Weights.Sum() ?? Categories!.Values.Sum();

    /// <summary>The rank error of the numbers (0 when exact).</summary>
    public double RankError => Numbers is { Exact: false } d ? d.RankError : 0;

    public static ColumnSample Of(IEnumerable<double> numbers)
    {
        var distribution = new NumberDistribution(countDistinct: false);
        foreach (var value in numbers)
            distribution.Add(value);
        return new ColumnSample(distribution.Result(), null);
    }

    public static ColumnSample Of(IEnumerable<string> categories)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var category in categories)
            CollectionsMarshal.GetValueRefOrAddDefault(counts, category, out _)++;
        return new ColumnSample(null, counts);
    }
}
