namespace Tend.Core.Domain;

/// <summary>A registered, immutable model: version N of a model name, made by one run; only its description and tags may change.</summary>
public sealed record ModelVersion(
    string Name,
    int Version,
    string RunId,
    string Artifact,
    string Checksum,
    string Dataset,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset Created,
    IReadOnlyList<string> Aliases,
    string Description = "",
    IReadOnlyDictionary<string, string>? Tags = null,
    string Actor = "")
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = Tags ?? new Dictionary<string, string>();
}

/// <summary>A movable name (e.g. <c>champion</c>) pointing at one version of a model.</summary>
public sealed record ModelAlias(string Model, string Alias, int Version, DateTimeOffset Moved);
