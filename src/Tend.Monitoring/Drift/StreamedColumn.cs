using System.Runtime.InteropServices;
using Tend.Core.Domain;
using Tend.Data.Profiling.Sketches;
using Tend.Data.Sources;
using Tend.Data.Tabular;

namespace Tend.Monitoring.Drift;

/// <summary>
/// One monitored column's summary, read a cell or a batch at a time (<see cref="StreamedWindow"/>): its numbers in a
/// <see cref="NumberDistribution"/>, or its categories counted (up to <see cref="StreamedWindow.MaxCategories"/>, the
/// rest as <see cref="StreamedWindow.OtherCategories"/>), with its missing and invalid cells.
/// </summary>
/// <param name="index">Where the column is in a batch's rows.</param>
public sealed class StreamedColumn(int index, ColumnType type)
{
    public ColumnType Type => type;
    private readonly NumberDistribution? _numbers = type.IsNumber() || type == ColumnType.Boolean ? new NumberDistribution(countDistinct: false) : null;
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _categories = new Dictionary<string, long>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private long _missing, _invalid;

    public void Add(CellBatch batch)
    {
        for (var r = 0; r < batch.Count; r++)
            if (batch.IsMissing(index, r))
                _missing++;
            else
                Add(batch.Cell(index, r));
    }

    /// <summary>One cell that is not missing.</summary>
    public void Add(ReadOnlySpan<char> cell)
    {
        if (_numbers is null)
            Count(cell);
        else if (Number(cell) is { } value)
        {
            _numbers.Add(value);
            (_min, _max) = (Math.Min(_min, value), Math.Max(_max, value));
        }
        else
            _invalid++;
    }

    private double? Number(ReadOnlySpan<char> cell) =>
        type == ColumnType.Boolean ? Cells.TryBoolean(cell, out var b) ? b ? 1 : 0 : null
        : Cells.TryNumber(cell, out var v) && double.IsFinite(v) ? v : null;

    private void Count(ReadOnlySpan<char> cell)
    {
        if (_categories.Dictionary.Count >= StreamedWindow.MaxCategories && !_categories.ContainsKey(cell))
            cell = StreamedWindow.OtherCategories;
        CollectionsMarshal.GetValueRefOrAddDefault(_categories, cell, out _)++;
    }

    /// <param name="rows">The rows read, missing cells among them.</param>
    public DriftAnalysis.WindowColumn Result(long rows)
    {
        var sample = _numbers is null ? new ColumnSample(null, _categories.Dictionary)
            : _min <= _max ? new ColumnSample(_numbers.Result(), null, _min, _max)
            : new ColumnSample(_numbers.Result(), null);
        return new DriftAnalysis.WindowColumn(sample, _missing / (double)rows, _invalid / (double)rows);
    }
}
