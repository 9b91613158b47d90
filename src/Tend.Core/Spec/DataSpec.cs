namespace Tend.Core.Spec;

/// <summary>The <c>data:</c> section of tend.yaml: named sources, schema overrides and validation rules.</summary>
public sealed record DataSpec(
    IReadOnlyList<SourceSpec> Sources,
    IReadOnlyDictionary<string, ColumnOverride> Schema,
    IReadOnlyDictionary<string, ValidationRule> Validation)
{
    public static readonly DataSpec Default = new([], new Dictionary<string, ColumnOverride>(), new Dictionary<string, ValidationRule>());
}

/// <summary>
/// A source a pipeline can re-collect: a file or folder (<see cref="Path"/>, relative to the project), a SQL query
/// (<see cref="Sql"/> against <see cref="Connection"/>), with the reading options of <c>tend data add</c>; or the
/// feedback received on served predictions since the last collection (<see cref="Feedback"/>, <c>tend data collect</c>);
/// or a file at an HTTP <see cref="Url"/>. What a <c>new_data</c> trigger or a step observes of it: a file or folder's
/// content hash, a URL's ETag (else its Content-MD5, Last-Modified or content hash), and a query's <see cref="Checksum"/>
/// query, else the greatest value of its <see cref="HighWaterMark"/> column, else its rows' hash.
/// </summary>
public sealed record SourceSpec(
    string Name,
    string? Path = null,
    string? Sql = null,
    string? Connection = null,
    string? Format = null,
    string? Delimiter = null,
    string? Encoding = null,
    bool? Header = null,
    bool Append = false,
    bool Feedback = false,
    string? Url = null,
    string? Checksum = null,
    string? HighWaterMark = null);

/// <summary>A user's correction of an inferred column: its type, nullability or bounds.</summary>
public sealed record ColumnOverride(string? Type = null, bool? Nullable = null, double? Min = null, double? Max = null);

/// <summary>How one anomaly kind is judged: its severity (or off) and its bar (a share or a count, per kind).</summary>
public sealed record ValidationRule(string? Severity = null, double? Bar = null);
