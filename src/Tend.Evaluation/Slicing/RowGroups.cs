using Tend.Core.Domain;
using Tend.Data.Profiling;
using Tend.Data.Tabular;

namespace Tend.Evaluation.Slicing;

/// <summary>A named group of rows: one value of a column, or one quantile bin of a numeric one.</summary>
public sealed record RowGroup(string Name, int[] Rows);

/// <summary>
/// Splits rows by a column: a numeric column into quantile bins of its own values (bin k holds edgeₖ₋₁ ≤ v &lt; edgeₖ, the
/// edges numpy.quantile's, repeated edges merged), any other column by value; missing cells form their own group.
/// </summary>
public static class RowGroups
{
    public const string Missing = "(missing)";

    public static IReadOnlyList<RowGroup> By(Table table, string column, bool numeric, int bins)
    {
        var index = table.IndexOf(column);
        var cells = table.Rows.Select(r => r[index]).ToList();
        return numeric ? ByBins(cells, bins) : ByValue(cells);
    }

    private static List<RowGroup> ByValue(List<string?> cells) =>
        Enumerable.Range(0, cells.Count).GroupBy(i => cells[i] ?? Missing, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new RowGroup(g.Key, g.ToArray())).ToList();

    private static List<RowGroup> ByBins(List<string?> cells, int bins)
    {
        var values = cells.Select(c => Cells.TryNumber(c, out var v) ? v : double.NaN).ToArray();
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
            return ByValue(cells);
        var edges = Edges(q => Quantiles.Of(sorted, q), bins);
        var members = Enumerable.Range(0, edges.Length + 1).Select(_ => new List<int>()).ToArray();
        var missing = new List<int>();
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i])) { missing.Add(i); continue; }
            members[BinOf(edges, values[i])].Add(i);
        }
        var groups = members.Select((rows, k) => new RowGroup(BinName(edges, k), rows.ToArray())).Where(g => g.Rows.Length > 0).ToList();
        if (missing.Count > 0)
            groups.Add(new RowGroup(Missing, missing.ToArray()));
        return groups;
    }

    /// <summary>The inner edges of <paramref name="bins"/> quantile bins, given the values' quantile function; repeated edges merged.</summary>
    public static double[] Edges(Func<double, double> quantile, int bins) =>
        Enumerable.Range(1, bins - 1).Select(k => quantile(k / (double)bins)).Distinct().ToArray();

    /// <summary>The bin a value falls in: bin k holds edgeₖ₋₁ ≤ v &lt; edgeₖ.</summary>
    public static int BinOf(double[] edges, double value)
    {
        var bin = 0;
        while (bin < edges.Length && value >= edges[bin]) bin++;
        return bin;
    }

    public static string BinName(double[] edges, int k) =>
        k == 0 ? $"< {F(edges[0])}" : k == edges.Length ? $">= {F(edges[^1])}" : $"[{F(edges[k - 1])}, {F(edges[k])})";

    private static string F(double v) => Figures.Number(v);
}
