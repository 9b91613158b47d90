using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Profiling.Sketches;
using Tend.Data.Tabular;

namespace Tend.Data.Versions.Columns;

/// <summary>ISO 8601 dates and times: stored as timestamps; profiled with the earliest and latest (as Unix seconds) and frequent values.</summary>
internal sealed class DateColumn(ColumnSchema schema, int capacity) : IngestColumn(schema, capacity)
{
    private readonly ChunkBuffer<DateTime?> _values = new(capacity);
    private readonly FrequentValues<long> _frequent = new(FrequentValues.Hash);
    private long _min = long.MaxValue, _max = long.MinValue;

    protected override DataField CreateField() => new DataField<DateTime?>(Schema.Name);

    protected override bool TryAdd(ReadOnlySpan<char> cell, CanonicalColumn canonical)
    {
        if (!Cells.TryDateTime(cell, out var value))
            return false;
        _values.Current[Count] = value;
        canonical.Date(value);
        Number = UnixSeconds(value.Ticks);
        _frequent.Add(value.Ticks);
        if (value.Ticks < _min) _min = value.Ticks;
        if (value.Ticks > _max) _max = value.Ticks;
        return true;
    }

    protected override void AddMissing() => _values.Current[Count] = null;

    public override Func<ParquetRowGroupWriter, CancellationToken, Task> TakeChunk()
    {
        var (values, count) = Take(_values);
        return (group, ct) => group.WriteAsync<DateTime>(Field, values.AsMemory(0, count), cancellationToken: ct);
    }

    public override ColumnProfile Profile() => Present == 0 ? Base(0) : Base((int)_frequent.Distinct, _frequent.Exact) with
    {
        Min = UnixSeconds(_min),
        Max = UnixSeconds(_max),
        TopValues = TextColumn.Top(_frequent.Counts, t => Cells.Format(new DateTime(t))),
    };

    private static double UnixSeconds(long ticks) => (ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
}
