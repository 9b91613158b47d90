using Tend.Core.Domain;
using Tend.Data.Sources;
using Tend.Data.Tabular;

namespace Tend.Monitoring.Drift;

/// <summary>
/// A window read from a source in one streaming pass, in memory bounded by its columns and their distinct values, not
/// its rows: each monitored column's numbers go into a <see cref="NumberDistribution"/> (exact up to
/// <see cref="NumberDistribution.ExactLimit"/> distinct values, sketched beyond) and its categories into counts (up to
/// <see cref="MaxCategories"/>, the rest counted as <see cref="OtherCategories"/>), with its missing and invalid
/// cells. A seeded uniform sample of at most <see cref="SampleRows"/> whole rows is kept for the model to score.
/// </summary>
public sealed class StreamedWindow
{
    public const int SampleRows = 20_000, MaxCategories = 10_000;
    public const string OtherCategories = "(other values)";
    private const int BatchRows = 2048;

    private readonly Dictionary<string, StreamedColumn> _columns;

    private StreamedWindow(IReadOnlyList<string> names, long rows, Table sample, Dictionary<string, StreamedColumn> columns) =>
        (ColumnNames, Rows, Sample, _columns) = (names, rows, sample, columns);

    public IReadOnlyList<string> ColumnNames { get; }
    public long Rows { get; }

    /// <summary>Every row when the source has at most <see cref="SampleRows"/>, else that many drawn uniformly (seeded: the same file gives the same sample).</summary>
    public Table Sample { get; }

    public DriftAnalysis.Window Window => (name, type) =>
        _columns.TryGetValue(name, out var column) && column.Type == type
            ? column.Result(Math.Max(1, Rows))
            : DriftAnalysis.Of(new Table([], []))(name, type);

    public static StreamedWindow Read(RowSource source, IEnumerable<(string Name, ColumnType Type)> features, CancellationToken ct)
    {
        var columns = features.Where(f => source.Columns.Contains(f.Name))
            .ToDictionary(f => f.Name, f => new StreamedColumn(IndexOf(source.Columns, f.Name), f.Type), StringComparer.Ordinal);
        var sample = new List<string?[]>();
        var random = new Random(0);
        long rows = 0;
        foreach (var batch in source.Batches(BatchRows, 2, ct))
        {
            foreach (var column in columns.Values) // one thread a file: the two sides of a comparison are read at once
                column.Add(batch);
            for (var r = 0; r < batch.Count; r++, rows++)
            {
                // Reservoir sampling: row n replaces a kept one with probability SampleRows / (n + 1).
                var slot = rows < SampleRows ? (int)rows : random.NextInt64(rows + 1) is var j && j < SampleRows ? (int)j : -1;
                if (slot < 0)
                    continue;
                var row = Row(batch, r, source.Columns.Count);
                if (slot == sample.Count) sample.Add(row);
                else sample[slot] = row;
            }
        }
        return new StreamedWindow(source.Columns, rows, new Table(source.Columns, sample), columns);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name)
                return i;
        return -1;
    }

    private static string?[] Row(CellBatch batch, int row, int columns)
    {
        var cells = new string?[columns];
        for (var c = 0; c < columns; c++)
            cells[c] = batch.IsMissing(c, row) ? null : batch.Cell(c, row).ToString();
        return cells;
    }
}
