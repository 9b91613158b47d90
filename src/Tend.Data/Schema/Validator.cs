using System.Globalization;
using Tend.Core.Domain;
using Tend.Data.Profiling;
using Tend.Data.Versions.Columns;

namespace Tend.Data.Schema;

/// <summary>Turns what ingest counted into anomalies, each judged by its rule's severity and bar.</summary>
internal sealed class Validator(ValidationRules rules)
{
    private readonly List<Anomaly> _anomalies = [];

    public ValidationReport Report => new(_anomalies.ToList());

    public void Columns(IReadOnlyList<string> actual, DataSchema expected)
    {
        foreach (var missing in expected.Columns.Where(c => !actual.Contains(c.Name)))
            Add(missing.Name, "missing_column", 1, $"column '{missing.Name}' is missing; expected {missing.Type.Text()} values");
        foreach (var extra in actual.Where(c => expected.Find(c) is null))
            Add(extra, "unexpected_column", 1, $"column '{extra}' is not in the schema (revision {expected.Revision})");
    }

    public void Column(IngestColumn c, ColumnProfile? reference, long rows)
    {
        var name = c.Schema.Name;
        var expected = c.Expected!;
        var present = Math.Max(1, c.Present + c.Mismatches);
        Add(name, "type_mismatch", c.Mismatches / (double)present,
            $"{c.Mismatches} of {c.Present + c.Mismatches} values are not {Article(expected.Type)}", c.MismatchExamples);
        var missingShare = c.Missing / (double)Math.Max(1, rows);
        if (!expected.Nullable)
            Add(name, "unexpected_nulls", missingShare, $"{c.Missing} missing values ({Percent(missingShare)}); the schema says the column is never missing");
        if (reference is not null)
        {
            var before = reference.Missing / (double)Math.Max(1, reference.Count + reference.Missing);
            Add(name, "null_rate_jump", missingShare - before, $"missing values rose from {Percent(before)} to {Percent(missingShare)}");
        }
        Add(name, "unseen_category", c.Unseen / (double)present, $"{c.Unseen} values ({Percent(c.Unseen / (double)present)}) are not among the {expected.Domain?.Count} known categories", c.UnseenExamples);
        Add(name, "out_of_range", c.OutOfRange / (double)present,
            $"{c.OutOfRange} values ({Percent(c.OutOfRange / (double)present)}) are outside [{N(expected.Min)}, {N(expected.Max)}]");
    }

    public void Rows(long rows, long duplicates)
    {
        var (_, bar) = rules.For("too_few_rows");
        if (rows < bar)
            Add("", "too_few_rows", double.PositiveInfinity, $"{rows} rows; at least {bar} expected", force: true);
        Add("", "duplicate_rows", duplicates / (double)Math.Max(1, rows), $"{duplicates} rows ({Percent(duplicates / (double)Math.Max(1, rows))}) repeat an earlier row");
    }

    public void Label(string label, ColumnProfile current, ColumnProfile? reference, long rows)
    {
        var share = current.Missing / (double)Math.Max(1, rows);
        Add(label, "missing_label", share, $"{current.Missing} rows ({Percent(share)}) have no label; they cannot be trained on");
        if (reference is null)
            return;
        if (current.Distribution is { } now && reference.Distribution is { } before && current.Type.IsNumber())
        {
            var d = DistributionMath.KsStatistic(before, now);
            Add(label, "label_shift", d, $"the label's distribution moved: KS statistic {N(d)} against the previous version");
        }
        else if (current.TopValues is { } top && reference.TopValues is { } old)
        {
            double Share(IReadOnlyList<ValueCount> counts, string v, int n) => counts.FirstOrDefault(c => c.Value == v)?.Count / (double)Math.Max(1, n) ?? 0;
            var classes = top.Select(t => t.Value).Union(old.Select(t => t.Value)).ToList();
            var (worst, shift) = classes.Select(v => (v, Math.Abs(Share(top, v, current.Count) - Share(old, v, reference.Count)))).MaxBy(x => x.Item2);
            Add(label, "label_shift", shift, $"class '{worst}' moved from {Percent(Share(old, worst, reference.Count))} to {Percent(Share(top, worst, current.Count))} of labels");
        }
    }

    private void Add(string column, string kind, double measure, string detail, IReadOnlyList<string>? examples = null, bool force = false)
    {
        var (severity, bar) = rules.For(kind);
        if (severity is null || (!force && !(measure > bar)))
            return;
        _anomalies.Add(new Anomaly(column, kind, severity.Value, detail, double.IsFinite(measure) ? measure : null, examples is { Count: > 0 } ? examples.ToList() : null));
    }

    private static string Article(ColumnType type) => type switch
    {
        ColumnType.Integer => "whole numbers",
        ColumnType.Numeric => "numbers",
        ColumnType.Boolean => "true or false",
        ColumnType.DateTime => "ISO 8601 dates",
        _ => type.Text(),
    };

    private static string Percent(double share) => share.ToString("0.##%", CultureInfo.InvariantCulture);

    private static string N(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "?";
}
