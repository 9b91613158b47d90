namespace Tend.Core.Domain;

/// <summary>
/// An immutable snapshot of data, identified by the sha256 of its canonical content (docs/data.md), stored as Parquet,
/// with where it came from, what it was validated against and what was found.
/// </summary>
public sealed record DatasetVersion(
    string Name,
    string Version,
    int Rows,
    int Columns,
    DateTimeOffset Created,
    string Artifact,
    string Source,
    DataSchema Schema,
    DataProfile Profile,
    ValidationReport? Validation = null,
    string? Parent = null,
    int AddedRows = 0,
    int SkippedLines = 0,
    string Actor = "")
{
    /// <summary>The first 12 hex digits: enough to name a version, as git's short hashes.</summary>
    public string ShortVersion => Version[..12];

    public string Reference => $"{Name}@{ShortVersion}";

    /// <summary>Splits <c>NAME</c> (no version: the newest) or <c>NAME@VERSION</c> (a hash prefix), the inverse of <see cref="Reference"/>.</summary>
    public static (string Name, string? Version) ParseReference(string reference) =>
        reference.IndexOf('@') is var at and >= 0 ? (reference[..at], reference[(at + 1)..]) : (reference, null);

    /// <summary>Where the full profile, with each numeric column's reference distribution, is stored.</summary>
    public string ProfileArtifact => $"datasets/{Version}/profile.json";
}
