using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Tabular;

namespace Tend.Data.Versions.Columns;

/// <summary>true/false: stored as booleans; profiled as counts, a mean (the share of true) and a 0/1 distribution for drift.</summary>
internal sealed class BooleanColumn(ColumnSchema schema, int capacity) : IngestColumn(schema, capacity)
{
    private readonly bool?[] _values = new bool?[capacity];
    private long _true, _false;

    protected override DataField CreateField() => new DataField<bool?>(Schema.Name);

    protected override bool TryAdd(ReadOnlySpan<char> cell, CanonicalColumn canonical)
    {
        if (!Cells.TryBoolean(cell, out var value))
            return false;
        _values[Count] = value;
        canonical.Boolean(value);
        Number = value ? 1 : 0;
        Category = Cells.Format(value);
        if (value) _true++; else _false++;
        return true;
    }

    protected override void AddMissing() => _values[Count] = null;

    public override async Task FlushAsync(ParquetRowGroupWriter writer, CancellationToken ct)
    {
        await writer.WriteAsync<bool>(Field, _values.AsMemory(0, Count), cancellationToken: ct);
        Count = 0;
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
