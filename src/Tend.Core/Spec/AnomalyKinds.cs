using Tend.Core.Domain;

namespace Tend.Core.Spec;

/// <summary>
/// The anomaly kinds validation reports, with their default severity and bar (docs/data.md); <c>data.validation</c> in
/// tend.yaml changes either, or turns a kind off. An anomaly is reported when its measure exceeds the bar
/// (too_few_rows: when the row count falls below it).
/// </summary>
public static class AnomalyKinds
{
    public static readonly IReadOnlyDictionary<string, (Severity Severity, double Bar, string Measure)> Defaults = new Dictionary<string, (Severity, double, string)>
    {
        ["missing_column"] = (Severity.Error, 0, "a column of the schema is absent"),
        ["unexpected_column"] = (Severity.Warning, 0, "a column not in the schema"),
        ["type_mismatch"] = (Severity.Error, 0, "share of present values that do not parse as the column's type"),
        ["unexpected_nulls"] = (Severity.Warning, 0, "share of missing values in a column the schema says is never missing"),
        ["null_rate_jump"] = (Severity.Warning, 0.1, "rise in the share of missing values against the previous version"),
        ["unseen_category"] = (Severity.Warning, 0, "share of values outside the categorical domain"),
        ["out_of_range"] = (Severity.Warning, 0, "share of numbers outside the schema's [min, max]"),
        ["duplicate_rows"] = (Severity.Warning, 0.05, "share of rows that repeat an earlier row"),
        ["missing_label"] = (Severity.Warning, 0, "share of rows without a label"),
        ["label_shift"] = (Severity.Warning, 0.1, "largest change in a class's share (L-infinity), or the KS statistic for a numeric label"),
        ["too_few_rows"] = (Severity.Error, 1, "fewer rows than the bar (set a real minimum in tend.yaml)"),
    };

}
