using Tend.Core.Domain;
using Tend.Data.Tabular;
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
        var categories = Categories(reference, current);
        return (categories.Select(c => reference.Categories!.GetValueOrDefault(c) / (double)reference.Count).ToArray(),
            categories.Select(c => current.Categories!.GetValueOrDefault(c) / (double)current.Count).ToArray());
    }

    /// <summary>At most this many categories are drawn; the rest are summed as "(other)".</summary>
    public const int DrawnCategories = 20;

    /// <summary>The common bins with their names and both sides' shares, for drawing (<see cref="BinShares"/>).</summary>
    public static BinShares Drawn(ColumnSample reference, ColumnSample current)
    {
        var (p, q) = Shares(reference, current);
        if (reference.Numbers is { } numbers)
        {
            var edges = EdgeNames(Edges(numbers));
            var names = edges.Count == 0 ? ["all"] : edges.Select((e, i) => i == 0 ? $"≤ {e}" : $"({edges[i - 1]}, {e}]").Append($"> {edges[^1]}").ToList();
            return new BinShares(names, p, q);
        }
        var categories = Categories(reference, current);
        var order = Enumerable.Range(0, categories.Length).OrderByDescending(i => Math.Max(p[i], q[i])).ThenBy(i => categories[i], StringComparer.Ordinal).ToList();
        var shown = order.Take(DrawnCategories).ToList();
        var (bins, before, now) = (shown.Select(i => categories[i]).ToList(), shown.Select(i => p[i]).ToList(), shown.Select(i => q[i]).ToList());
        if (order.Count > DrawnCategories)
        {
            var rest = order.Skip(DrawnCategories).ToList();
            (bins, before, now) = ([.. bins, "(other)"], [.. before, rest.Sum(i => p[i])], [.. now, rest.Sum(i => q[i])]);
        }
        return new BinShares(bins, before, now);
    }

    /// <summary>The categorical bins: both sides' categories, in ordinal order, so that shares line up by position.</summary>
    private static string[] Categories(ColumnSample reference, ColumnSample current) =>
        reference.Categories!.Keys.Union(current.Categories!.Keys).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// The edges as people read them: each rounded to the fewest significant digits, three at least, that keep every edge
    /// apart from the others, so an interpolated decile reads 0.312, not 0.3120000000000027.
    /// </summary>
    public static IReadOnlyList<string> EdgeNames(double[] edges)
    {
        for (var digits = 3; digits < 17; digits++)
        {
            var names = edges.Select(e => Cells.Format(Round(e, digits))).ToList();
            if (names.Distinct(StringComparer.Ordinal).Count() == names.Count)
                return names;
        }
        return edges.Select(e => Cells.Format(e)).ToList();
    }

    private static double Round(double value, int digits) => value == 0 || !double.IsFinite(value) ? value
        : Math.Round(value, Math.Clamp(digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value))), 0, 15));

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
