using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Versions;
using Tend.Monitoring.Drift;

namespace Tend.Pipelines;

/// <summary>What changed between two dataset versions: schema, row count, and each shared column's distribution.</summary>
public sealed record DatasetDiff(string From, string To, int RowsFrom, int RowsTo, IReadOnlyList<SchemaChange> SchemaChanges, IReadOnlyList<FeatureDrift> Columns)
{
    /// <summary>Compares the stored profiles with the monitoring statistics, the tests corrected for their number (no data is re-read).</summary>
    public static async Task<DatasetDiff> CompareAsync(DatasetCatalog catalog, DatasetVersion a, DatasetVersion b, MonitorSpec settings, CancellationToken ct)
    {
        var (pa, pb) = (await catalog.LoadProfileAsync(a, ct), await catalog.LoadProfileAsync(b, ct));
        var shared = a.Schema.Columns.Where(c => b.Schema.Find(c.Name)?.Type == c.Type && c.Type is not (ColumnType.Text or ColumnType.DateTime))
            .Select(c => (c.Name, c.Type));
        return new DatasetDiff(a.Reference, b.Reference, a.Rows, b.Rows, Changes(a.Schema, b.Schema),
            DatasetDrift.Judge(DriftAnalysis.Compare(DriftAnalysis.Of(pa), DriftAnalysis.Of(pb), shared, settings), null, settings).Features);
    }

    private static List<SchemaChange> Changes(DataSchema a, DataSchema b)
    {
        var changes = new List<SchemaChange>();
        foreach (var c in a.Columns)
        {
            if (b.Find(c.Name) is not { } d)
            {
                changes.Add(new(c.Name, "removed", c.Type.Text(), null));
                continue;
            }
            if (c.Type != d.Type) changes.Add(new(c.Name, "type", c.Type.Text(), d.Type.Text()));
            if (c.Nullable != d.Nullable) changes.Add(new(c.Name, "nullable", c.Nullable.ToString().ToLowerInvariant(), d.Nullable.ToString().ToLowerInvariant()));
            if (c.Min != d.Min || c.Max != d.Max) changes.Add(new(c.Name, "range", $"[{c.Min}, {c.Max}]", $"[{d.Min}, {d.Max}]"));
            var added = (d.Domain ?? []).Except(c.Domain ?? []).ToList();
            var removed = (c.Domain ?? []).Except(d.Domain ?? []).ToList();
            if (added.Count > 0) changes.Add(new(c.Name, "categories_added", null, string.Join(", ", added)));
            if (removed.Count > 0) changes.Add(new(c.Name, "categories_removed", string.Join(", ", removed), null));
        }
        changes.AddRange(b.Columns.Where(d => a.Find(d.Name) is null).Select(d => new SchemaChange(d.Name, "added", null, d.Type.Text())));
        return changes;
    }
}

/// <summary>One schema difference: the column, what changed (added, removed, type, nullable, range, categories_added, categories_removed), before and after.</summary>
public sealed record SchemaChange(string Column, string Change, string? Before, string? After);
