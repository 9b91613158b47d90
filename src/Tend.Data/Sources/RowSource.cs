namespace Tend.Data.Sources;

/// <summary>One row as read: its cells (null = missing) and the line it starts on, for messages.</summary>
public readonly record struct SourceRow(string?[] Cells, long Line);

/// <summary>
/// Rows under named columns that can be read more than once (ingest makes two passes: infer, then store), each pass
/// streaming, so memory does not grow with the row count.
/// </summary>
public abstract class RowSource
{
    /// <summary>Where the rows come from, as recorded in the dataset version (a path, or the query and its database).</summary>
    public abstract string Description { get; }

    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Lines skipped as bad in the last complete pass (when bad lines are skipped).</summary>
    public virtual int SkippedLines => 0;

    public abstract IEnumerable<SourceRow> Rows(CancellationToken ct);

    /// <summary>
    /// The rows in batches of up to <paramref name="size"/>, refilling <paramref name="buffers"/> batches in turn: a batch
    /// stays valid until <paramref name="buffers"/> − 1 more have been yielded. Sources that can fill a batch without a
    /// string per cell override <see cref="Fill"/>.
    /// </summary>
    public IEnumerable<CellBatch> Batches(int size, int buffers, CancellationToken ct)
    {
        var ring = Enumerable.Range(0, buffers).Select(_ => new CellBatch(Columns.Count, size)).ToArray();
        var next = 0;
        var batch = ring[0];
        foreach (var _ in Fill(() => batch, ct))
        {
            if (!batch.Full)
                continue;
            yield return batch;
            batch = ring[++next % buffers];
            batch.Clear();
        }
        if (batch.Count > 0)
            yield return batch;
    }

    /// <summary>Adds each row to the current batch (<paramref name="batch"/> may change between rows), yielding after each.</summary>
    protected virtual IEnumerable<bool> Fill(Func<CellBatch> batch, CancellationToken ct)
    {
        foreach (var row in Rows(ct))
        {
            batch().Add(row.Cells, row.Line);
            yield return true;
        }
    }

    /// <summary>Rejects empty and repeated column names, naming the source and the column's position.</summary>
    protected static IReadOnlyList<string> CheckColumns(IReadOnlyList<string?> names, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
                throw Core.Errors.TendException.InvalidData($"{where}: column {i + 1} has an empty name; every column needs a name");
            if (!seen.Add(names[i]!))
                throw Core.Errors.TendException.InvalidData($"{where}: column name '{names[i]}' appears twice (columns {names.ToList().IndexOf(names[i]) + 1} and {i + 1})");
        }
        return names.Select(n => n!).ToList();
    }
}

/// <summary>What to do with a row whose field count differs from the header's: stop with an error, or skip and count it.</summary>
public enum BadLines
{
    Error,
    Skip,
}

public static class BadLinesOption
{
    /// <summary>Reads <c>error</c> (the default, also for no value) or <c>skip</c>; anything else is an error naming the field <c>on_bad_lines</c>.</summary>
    public static BadLines Parse(string? value) => value switch
    {
        null or "error" => BadLines.Error,
        "skip" => BadLines.Skip,
        _ => throw Core.Errors.TendException.BadField("on_bad_lines", $"bad lines must be 'error' or 'skip', got '{value}'", "error", "skip"),
    };
}
