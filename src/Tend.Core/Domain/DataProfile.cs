namespace Tend.Core.Domain;

/// <summary>Summary statistics of a dataset version, computed once at ingest and reused by training, evaluation and monitoring.</summary>
public sealed record DataProfile(int Rows, IReadOnlyList<ColumnProfile> Columns, int DuplicateRows = 0)
{
    public ColumnProfile? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The profile without the reference distributions: what the metadata store keeps; the full profile is an artifact.</summary>
    public DataProfile Summary() => this with { Columns = Columns.Select(c => c with { Distribution = null }).ToList() };
}

/// <summary>
/// Counts for every column; moments, quantiles, a histogram and a reference distribution for numbers and booleans;
/// top values for the rest; text lengths for text; how strongly the column goes with the label.
/// </summary>
public sealed record ColumnProfile(
    string Name,
    ColumnType Type,
    int Count,
    int Missing,
    int Distinct,
    double? Min = null,
    double? Max = null,
    double? Mean = null,
    double? Std = null,
    IReadOnlyDictionary<string, double>? Quantiles = null,
    Histogram? Histogram = null,
    IReadOnlyList<ValueCount>? TopValues = null,
    bool DistinctExact = true,
    TextLength? TextLength = null,
    LabelAssociation? LabelAssociation = null,
    Distribution? Distribution = null);

/// <summary>
/// Bins at the column's deciles, as PSI draws them (duplicate edges merged): <c>Counts[i]</c> counts values in
/// (<c>Edges[i-1]</c>, <c>Edges[i]</c>], the first bin open below and the last open above. <see cref="Min"/> and
/// <see cref="Max"/> bound the outer bins for drawing.
/// </summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts, double Min = 0, double Max = 0);

public sealed record ValueCount(string Value, int Count);

/// <summary>Lengths in characters of a text column's present values.</summary>
public sealed record TextLength(int Min, double Mean, int Max);

/// <summary>
/// How strongly a column goes with the label: <c>pearson</c> (number with number), <c>correlation_ratio</c>
/// (number with categories), <c>cramers_v</c> (categories with categories).
/// </summary>
public sealed record LabelAssociation(string Method, double Value);

/// <summary>
/// A numeric column's values as weighted points: every distinct value with its count when <see cref="Exact"/>,
/// otherwise a quantile sketch whose rank error is at most <see cref="RankError"/>. Monitoring compares windows
/// against this instead of re-reading the training data.
/// </summary>
public sealed record Distribution(IReadOnlyList<double> Values, IReadOnlyList<long> Weights, bool Exact, double RankError = 0);
