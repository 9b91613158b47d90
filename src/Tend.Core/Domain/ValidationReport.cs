namespace Tend.Core.Domain;

public enum Severity
{
    Warning,
    Error,
}

/// <summary>What validating a batch against a schema found; it passes when no anomaly is an error.</summary>
public sealed record ValidationReport(IReadOnlyList<Anomaly> Anomalies)
{
    public bool Passed => Anomalies.All(a => a.Severity != Severity.Error);

    public IEnumerable<Anomaly> Errors => Anomalies.Where(a => a.Severity == Severity.Error);
}

/// <summary>
/// One finding: the column (empty for the whole table), its kind (docs/data.md lists them), severity, what was
/// found in words, the share of rows concerned, and a few example values with their line numbers.
/// </summary>
public sealed record Anomaly(string Column, string Kind, Severity Severity, string Detail, double? Share = null, IReadOnlyList<string>? Examples = null);
