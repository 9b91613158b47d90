using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Monitoring.Statistics;

namespace Tend.Monitoring.Drift;

/// <summary>
/// Compares each feature of a current window with the reference: every applicable statistic is computed, one decides
/// (the monitor's statistic where it applies, else the column's default, <see cref="DriftStatistics.Default"/>). The
/// details also carry the data-quality signals: each side's share of missing values; the current's share of values that
/// are not of the column's type, and of numbers outside the reference's range; and its values of categories the
/// reference never held.
/// </summary>
public static class DriftAnalysis
{
    /// <summary>One column of one window: its present values, its share of missing values and of values not of its type.</summary>
    public sealed record WindowColumn(ColumnSample Sample, double MissingShare, double InvalidShare = 0);

    /// <summary>A window: what a column looks like in it, by name and type.</summary>
    public delegate WindowColumn Window(string column, ColumnType type);

    public static IReadOnlyList<FeatureDrift> Compare(Table reference, Table current, IEnumerable<(string Name, ColumnType Type)> features, MonitorSpec settings) =>
        Compare(Of(reference), Of(current), features, settings);

    /// <summary>
    /// Each feature compared on its own, the columns in parallel (each window is read and summarized column by column);
    /// <see cref="DatasetDrift.Judge"/> then corrects the tests for their number.
    /// </summary>
    public static IReadOnlyList<FeatureDrift> Compare(Window reference, Window current, IEnumerable<(string Name, ColumnType Type)> features, MonitorSpec settings) =>
        features.AsParallel().AsOrdered().Select(f => Compare(f.Name, f.Type, reference(f.Name, f.Type), current(f.Name, f.Type), settings))
            .Where(f => f is not null).Select(f => f!).ToList();

    private static FeatureDrift? Compare(string name, ColumnType type, WindowColumn referenceColumn, WindowColumn currentColumn, MonitorSpec settings)
    {
        var (reference, current) = (referenceColumn.Sample, currentColumn.Sample);
        var applicable = DriftStatistics.All.Where(s => s.Descriptor.AppliesTo(type)).ToList();
        if (reference.Count == 0 || current.Count == 0 || applicable.Count == 0)
            return null;
        var decider = applicable.FirstOrDefault(s => s.Descriptor.Name == settings.Statistic) ?? DriftStatistics.Default(type, Math.Min(reference.Count, current.Count));
        var scores = applicable.ToDictionary(s => s.Descriptor.Name, s => s.Score(reference, current));
        var details = new Dictionary<string, double>();
        foreach (var (statistic, score) in scores)
        {
            details[statistic] = score.Value;
            if (score.PValue is { } p)
                details[$"{statistic}_p_value"] = p;
        }
        details["reference_missing_share"] = referenceColumn.MissingShare;
        details["missing_share"] = currentColumn.MissingShare;
        if (type != ColumnType.Categorical)
            details["type_violation_share"] = currentColumn.InvalidShare;
        if (reference is { Min: { } min, Max: { } max } && current.Numbers is not null)
            details["out_of_range_share"] = current.ShareOutside(min, max);
        if (current.Categories is { } categories)
            details["unseen_categories"] = categories.Where(c => !reference.Categories!.ContainsKey(c.Key)).Sum(c => c.Value);
        if (reference.RankError + current.RankError is var rankError and > 0)
            details["rank_error"] = rankError; // a sketched side: KS's D is within this of the exact value
        var (value, pValue) = scores[decider.Descriptor.Name];
        var threshold = Threshold(decider.Descriptor, settings);
        return new FeatureDrift(name, type, decider.Descriptor.Name, value, pValue, threshold, pValue is { } raw ? raw <= threshold : value >= threshold, details,
            Shares: Bins.Drawn(reference, current));
    }

    /// <summary>A test's significance level, or a distance's threshold: the monitor's own, else the statistic's default.</summary>
    public static double Threshold(StatisticDescriptor statistic, MonitorSpec settings) =>
        statistic.IsTest ? settings.PValue
        : settings.Thresholds is { } own && own.TryGetValue(statistic.Name, out var threshold) ? threshold
        : statistic.DefaultThreshold;

    /// <summary>A window read from a table of text cells (served traffic, a file, a dataset version).</summary>
    public static Window Of(Table table) => (column, type) =>
    {
        var index = table.IndexOf(column);
        if (index < 0)
            return new WindowColumn(type.IsNumber() || type == ColumnType.Boolean ? ColumnSample.Of(Array.Empty<double>()) : ColumnSample.Of(Array.Empty<string>()), 1);
        var rows = Math.Max(1, table.Rows.Count);
        var (missing, invalid) = (0, 0);
        IEnumerable<string> Present()
        {
            foreach (var row in table.Rows)
                if (row[index] is { } cell)
                    yield return cell;
                else
                    missing++;
        }
        IEnumerable<double> Parsed(Func<string, double?> parse)
        {
            foreach (var cell in Present())
                if (parse(cell) is { } value)
                    yield return value;
                else
                    invalid++;
        }
        var sample = type switch
        {
            ColumnType.Boolean => ColumnSample.Of(Parsed(c => Cells.TryBoolean(c, out var v) ? (v ? 1.0 : 0.0) : null)),
            _ when type.IsNumber() => ColumnSample.Of(Parsed(c => Cells.TryNumber(c, out var v) && double.IsFinite(v) ? v : null)),
            _ => ColumnSample.Of(Present()),
        };
        return new WindowColumn(sample, missing / (double)rows, invalid / (double)rows);
    };

    /// <summary>
    /// A window read from a stored profile, without re-reading the data: numbers and booleans from the reference
    /// distribution (every value with its count, or the sketch's weighted points), categories from their counts. A
    /// numeric column judged as categories (integer-coded classes) gives each of its values with its count, as text.
    /// </summary>
    public static Window Of(DataProfile profile) => (column, type) =>
    {
        var p = profile.Find(column);
        var numeric = type.IsNumber() || type == ColumnType.Boolean;
        if (p is null || (numeric && p.Distribution is null))
            return new WindowColumn(numeric ? ColumnSample.Of(Array.Empty<double>()) : ColumnSample.Of(Array.Empty<string>()), 1);
        var missing = p.Missing / (double)Math.Max(1, p.Count + p.Missing);
        var sample = numeric
            ? new ColumnSample(p.Distribution, null, p.Min, p.Max)
            : new ColumnSample(null, Categories(p));
        return new WindowColumn(sample, missing);
    };

    private static Dictionary<string, long> Categories(ColumnProfile p) =>
        p.TopValues is { } top ? top.ToDictionary(t => t.Value, t => (long)t.Count, StringComparer.Ordinal)
        : p.Distribution is { Exact: true } d ? d.Values.Select((v, i) => (Cells.Format(v), d.Weights[i])).ToDictionary(c => c.Item1, c => c.Item2, StringComparer.Ordinal)
        : new Dictionary<string, long>();
}
