using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Profiling;
using Tend.Data.Profiling.Sketches;
using Tend.Data.Tabular;

namespace Tend.Data.Versions.Columns;

/// <summary>Floating-point numbers: stored as float64; profiled with moments (Welford), quantiles, decile bins and a reference distribution.</summary>
internal class NumberColumn(ColumnSchema schema, int capacity) : IngestColumn(schema, capacity)
{
    public static readonly double[] QuantilePoints = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

    private readonly int _capacity = capacity;
    private ChunkBuffer<double?>? _values; // allocated on first use: an IntegerColumn keeps its own
    private readonly NumberDistribution _distribution = new();
    private double _mean, _m2, _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private long _n;

    protected override DataField CreateField() => new DataField<double?>(Schema.Name);

    protected override bool TryAdd(ReadOnlySpan<char> cell, CanonicalColumn canonical)
    {
        if (!Cells.TryNumber(cell, out var value))
            return false;
        (_values ??= new(_capacity)).Current[Count] = value;
        canonical.Number(value);
        Observe(value);
        return true;
    }

    protected void Observe(double value)
    {
        Number = value;
        _n++;
        var delta = value - _mean;
        _mean += delta / _n;
        _m2 += delta * (value - _mean);
        if (value < _min) _min = value;
        if (value > _max) _max = value;
        _distribution.Add(value);
    }

    protected override void AddMissing() => (_values ??= new(_capacity)).Current[Count] = null;

    public override Func<ParquetRowGroupWriter, CancellationToken, Task> TakeChunk()
    {
        var (values, count) = Take(_values ??= new(_capacity));
        return (group, ct) => group.WriteAsync<double>(Field, values.AsMemory(0, count), cancellationToken: ct);
    }

    public override ColumnProfile Profile()
    {
        if (_n == 0)
            return Base(0);
        var distribution = _distribution.Result();
        return Base((int)_distribution.Distinct, _distribution.Exact) with
        {
            Min = _min,
            Max = _max,
            Mean = _mean,
            Std = _n > 1 ? Math.Sqrt(_m2 / (_n - 1)) : 0,
            Quantiles = QuantilePoints.ToDictionary(q => "p" + (q * 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture), q => DistributionMath.Quantile(distribution, q)),
            Histogram = DistributionMath.Histogram(distribution),
            Distribution = distribution,
        };
    }
}

/// <summary>Whole numbers: stored as int64, profiled as numbers.</summary>
internal sealed class IntegerColumn(ColumnSchema schema, int capacity) : NumberColumn(schema, capacity)
{
    private readonly ChunkBuffer<long?> _values = new(capacity);

    protected override DataField CreateField() => new DataField<long?>(Schema.Name);

    protected override bool TryAdd(ReadOnlySpan<char> cell, CanonicalColumn canonical)
    {
        if (!Cells.TryInteger(cell, out var value))
            return false;
        _values.Current[Count] = value;
        canonical.Integer(value);
        Observe(value);
        return true;
    }

    protected override void AddMissing() => _values.Current[Count] = null;

    public override Func<ParquetRowGroupWriter, CancellationToken, Task> TakeChunk()
    {
        var (values, count) = Take(_values);
        return (group, ct) => group.WriteAsync<long>(Field, values.AsMemory(0, count), cancellationToken: ct);
    }
}
