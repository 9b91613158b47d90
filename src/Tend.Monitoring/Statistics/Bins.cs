using Tend.Core.Domain;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Statistics;

/// <summary>
/// The binned distributions the distance statistics compare. Numbers fall into <see cref="Count"/> bins cut at the
/// reference's 10 %, …, 90 % quantiles (numpy's linear interpolation; equal edges merged; outer bins open; bins
/// right-closed, as numpy.searchsorted(edges, v, side="left")). Categories are their own bins, over the union of
/// both sides' categories. Shares are counts over the side's size; an empty bin has share 0.
/// </summary>
public static class Bins
{
    public const int Count = 10;

    /// <summary>The reference's and the current's share of each common bin.</summary>
    public static (double[] Reference, double[] Current) Shares(ColumnSample reference, ColumnSample current)
    {
        if (reference.Numbers is { } numbers)
        {
            var edges = Edges(numbers);
            return (Shares(numbers, edges), Shares(current.Numbers!, edges));
        }
        var categories = reference.Categories!.Keys.Union(current.Categories!.Keys).Order(StringComparer.Ordinal).ToArray();
        return (categories.Select(c => reference.Categories!.GetValueOrDefault(c) / (double)reference.Count).ToArray(),
            categories.Select(c => current.Categories!.GetValueOrDefault(c) / (double)current.Count).ToArray());
    }

    /// <summary>The inner edges: the reference's deciles, without repeats.</summary>
    public static double[] Edges(Distribution reference) =>
        Enumerable.Range(1, Count - 1).Select(i => Weighted.Quantile(reference, i / (double)Count)).Distinct().ToArray();

    public static double[] Shares(Distribution values, double[] edges)
    {
        var counts = new long[edges.Length + 1];
        for (var i = 0; i < values.Values.Count; i++)
            counts[BinOf(values.Values[i], edges)] += values.Weights[i];
        double total = Weighted.Total(values);
        return counts.Select(c => c / total).ToArray();
    }

    /// <summary>The first edge at or above <paramref name="v"/>: numpy.searchsorted(edges, v, side="left").</summary>
    public static int BinOf(double v, double[] edges)
    {
        var index = Array.BinarySearch(edges, v);
        if (index < 0)
            return ~index;
        while (index > 0 && edges[index - 1] == v)
            index--;
        return index;
    }
}
