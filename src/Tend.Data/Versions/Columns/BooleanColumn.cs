using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Tabular;

namespace Tend.Data.Versions.Columns;

/// <summary>true/false: stored as booleans; profiled as counts, a mean (the share of true) and a 0/1 distribution for drift.</summary>
internal sealed class BooleanColumn(ColumnSchema schema, int capacity) : IngestColumn(schema, capacity)
{
    private readonly ChunkBuffer<bool?> _values = new(capacity);
    private long _true, _false;

    protected override DataField CreateField() => new DataField<bool?>(Schema.Name);

    protected override bool TryAdd(ReadOnlySpan<char> cell, CanonicalColumn canonical)
    {
        if (!Cells.TryBoolean(cell, out var value))
            return false;
        _values.Current[Count] = value;
        canonical.Boolean(value);
        Number = value ? 1 : 0;
        Category = Cells.Format(value);
        if (value) _true++; else _false++;
        return true;
    }

    protected override void AddMissing() => _values.Current[Count] = null;

    public override Func<ParquetRowGroupWriter, CancellationToken, Task> TakeChunk()
    {
        var (values, count) = Take(_values);
        return (group, ct) => group.WriteAsync<bool>(Field, values.AsMemory(0, count), cancellationToken: ct);
    }

    public override ColumnProfile Profile()
    {
        var values = new List<double>();
        var weights = new List<long>();
        if (_false > 0) { values.Add(0); weights.Add(_false); }
        if (_true > 0) { values.Add(1); weights.Add(_true); }
        return Base(values.Count) with
        {
            Mean = Present == 0 ? null : _true / (double)Present,
            TopValues = TextColumn.Top(new Dictionary<string, long> { ["true"] = _true, ["false"] = _false }.Where(kv => kv.Value > 0).ToDictionary(), v => v),
            Distribution = values.Count == 0 ? null : new Distribution(values, weights, Exact: true),
        };
    }
}
