using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Schema;
using Tend.Data.Sources;
using Tend.Data.Tabular;

namespace Tend.Data.Versions;

/// <summary>How to ingest: who does it, the project's spec (label, schema overrides, validation rules), and whether to append.</summary>
public sealed record IngestOptions(string Actor, ProjectSpec? Spec = null, bool Append = false);

/// <summary>The outcome of an ingest: the version; whether it is new (false: that content was already stored); rejected when validation found errors (nothing stored).</summary>
/// <summary>What an ingest did: stored a new version (<see cref="Created"/>), found it stored already (and put back its files when they were missing: <see cref="Restored"/>), or rejected it.</summary>
public sealed record Ingest(DatasetVersion Version, bool Created, bool Rejected = false, bool Restored = false);

/// <summary>Ingests sources into immutable, content-addressed dataset versions (Parquet + profile) and reads them back.</summary>
public sealed class DatasetCatalog(IDatasetStore store, IArtifactStore artifacts)
{
    public Task<Ingest> AddAsync(string name, Table table, string source, string actor, CancellationToken ct) =>
        AddAsync(name, new TableSource(table, source), new IngestOptions(actor), ct);

    public async Task<Ingest> AddAsync(string name, RowSource source, IngestOptions options, CancellationToken ct)
    {
        Names.Check(name, "dataset name");
        var spec = options.Spec;
        var previous = await store.GetAsync(name, null, ct);
        // A newest version whose profile file went missing is no reference to validate against; adding its content again restores it.
        var previousProfile = previous is null || !await artifacts.ExistsAsync(previous.ProfileArtifact, ct) ? null : await LoadProfileAsync(previous, ct);
        var added = source;
        if (options.Append)
        {
            if (previous is null)
                throw new TendException(ErrorCode.NotFound, $"dataset '{name}' has no version yet to append to; add one first") { Field = "append" };
            source = new ConcatSource([await OpenAsync(previous, ct), source], $"{previous.Reference} + {source.Description}");
        }
        var label = LabelOf(spec, name);
        if (label is not null && !source.Columns.Contains(label))
            throw TendException.InvalidData($"{source.Description}: the label column '{label}' (tend.yaml 'label') is missing; columns: {string.Join(", ", source.Columns)}");

        var overrides = Overrides(spec);
        var temp = artifacts.Temp.NewFile("ingest.parquet");
        try
        {
            var result = await new Ingestor(source, temp).RunAsync(
                s => SchemaResolver.Number(SchemaResolver.Apply(s, overrides), previous?.Schema),
                previous is null ? null : Expected(previous, overrides), previousProfile, label, new ValidationRules(spec?.DataOrDefault.Validation), ct);
            if (result.Rows == 0)
                throw TendException.InvalidData($"{source.Description}: no data rows after the header");
            var version = new DatasetVersion(name, result.Hash, result.Rows, result.Schema.Columns.Count, DateTimeOffset.UtcNow,
                $"datasets/{result.Hash}/data.parquet", source.Description, result.Schema, result.Profile.Summary(), result.Report,
                Parent: previous?.Version, AddedRows: options.Append ? result.Rows - previous!.Rows : result.Rows,
                SkippedLines: added.SkippedLines, Actor: options.Actor);
            if (await store.GetAsync(name, result.Hash, ct) is { } existing)
                return new Ingest(existing, Created: false, Restored: await RestoreAsync(existing, temp, result.Profile, ct));
            if (!result.Report.Passed)
                return new Ingest(version, Created: false, Rejected: true);

            // The artifacts first: metadata never points at a file that is not there.
            await artifacts.PutFileAsync(version.Artifact, temp, ct);
            await PutProfileAsync(version, result.Profile, ct);
            var reason = options.Append ? $"appended {version.AddedRows} rows from {added.Description} to {previous!.Reference}" : $"ingested {result.Rows} rows from {source.Description}";
            var created = await store.AddAsync(version, new AuditEntry(options.Actor, "dataset.add", version.Reference, reason), ct);
            return new Ingest(created ? version : (await store.GetAsync(name, result.Hash, ct))!, created);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Puts back a stored version's data and profile files when they are missing (the same content, so the same version); whether it did.</summary>
    private async Task<bool> RestoreAsync(DatasetVersion version, string data, DataProfile profile, CancellationToken ct)
    {
        var restored = false;
        if (!await artifacts.ExistsAsync(version.Artifact, ct))
        {
            await artifacts.PutFileAsync(version.Artifact, data, ct);
            restored = true;
        }
        if (!await artifacts.ExistsAsync(version.ProfileArtifact, ct))
        {
            await PutProfileAsync(version, profile, ct);
            restored = true;
        }
        return restored;
    }

    private Task PutProfileAsync(DatasetVersion version, DataProfile profile, CancellationToken ct) =>
        artifacts.PutAsync(version.ProfileArtifact, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(TendJson.Serialize(profile))), ct);

    /// <summary>Validates a source against the dataset's newest version without storing anything.</summary>
    public async Task<Ingest> ValidateAsync(string name, RowSource source, ProjectSpec? spec, CancellationToken ct)
    {
        var previous = await GetAsync(name, ct);
        var temp = artifacts.Temp.NewFile("ingest.parquet");
        try
        {
            var label = LabelOf(spec, name) is { } l && source.Columns.Contains(l) ? l : null;
            var result = await new Ingestor(source, temp).RunAsync(s => s, Expected(previous, Overrides(spec)), await LoadProfileAsync(previous, ct),
                label, new ValidationRules(spec?.DataOrDefault.Validation), ct);
            var version = new DatasetVersion(name, result.Hash, result.Rows, result.Schema.Columns.Count, DateTimeOffset.UtcNow, "", source.Description,
                result.Schema, result.Profile.Summary(), result.Report, Parent: previous.Version, SkippedLines: source.SkippedLines);
            return new Ingest(version, Created: false, Rejected: !result.Report.Passed);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static IReadOnlyDictionary<string, ColumnOverride> Overrides(ProjectSpec? spec) =>
        spec?.DataOrDefault.Schema ?? new Dictionary<string, ColumnOverride>();

    /// <summary>What a new batch is validated against: the previous version's schema with the overrides for its columns.</summary>
    private static DataSchema Expected(DatasetVersion previous, IReadOnlyDictionary<string, ColumnOverride> overrides) =>
        SchemaResolver.Apply(previous.Schema, overrides.Where(o => previous.Schema.Find(o.Key) is not null).ToDictionary());

    /// <summary>The label is checked and profiled against for the project's own dataset only.</summary>
    private static string? LabelOf(ProjectSpec? spec, string dataset) => spec is not null && spec.Name == dataset ? spec.Label : null;

    /// <summary>Every dataset version, oldest first.</summary>
    public Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    /// <summary>Resolves <c>NAME</c> (newest) or <c>NAME@VERSION</c> (hash prefix).</summary>
    public async Task<DatasetVersion> GetAsync(string reference, CancellationToken ct)
    {
        var (name, version) = DatasetVersion.ParseReference(reference);
        return await store.GetAsync(name, version, ct)
            ?? throw TendException.NotFound(version is null
                ? $"dataset '{name}' has no versions yet; 'tend data add FILE' adds the first"
                : $"dataset '{reference}' not found; 'tend data list' shows the versions");
    }

    public async Task<Table> LoadAsync(DatasetVersion version, CancellationToken ct)
    {
        var source = await OpenAsync(version, ct);
        return new Table(source.Columns, source.Rows(ct).Select(r => r.Cells).ToList());
    }

    /// <summary>The full profile, with each numeric column's reference distribution.</summary>
    public Task<DataProfile> LoadProfileAsync(DatasetVersion version, CancellationToken ct) =>
        artifacts.ReadAsync<DataProfile>(version.ProfileArtifact, ct);

    private async Task<RowSource> OpenAsync(DatasetVersion version, CancellationToken ct)
    {
        var bytes = new MemoryStream();
        await using (var stream = await artifacts.GetAsync(version.Artifact, ct))
            await stream.CopyToAsync(bytes, ct);
        var content = bytes.ToArray();
        return new ParquetSource(() => new MemoryStream(content, writable: false), version.Reference);
    }
}
