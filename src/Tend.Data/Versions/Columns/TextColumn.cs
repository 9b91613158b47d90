using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Profiling.Sketches;

namespace Tend.Data.Versions.Columns;

/// <summary>Categorical and text values: stored as strings; profiled with frequent values, distinct count and (text) lengths.</summary>
internal sealed class TextColumn(ColumnSchema schema, int capacity) : IngestColumn(schema, capacity)
{
    public const int TopValues = 10;

    /// <summary>Categorical columns keep every level's count (up to the inference cap), so monitoring can compare all of them.</summary>
    public const int CategoricalLevels = 100;

    /// <summary>Repeated values share one string: a categorical column allocates one per level, not one per cell.</summary>
    private const int Interned = 10_000;

    private readonly ChunkBuffer<string?> _values = new(capacity);
    private readonly FrequentValues<string> _frequent = new(FrequentValues.Hash);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _interned =
        new Dictionary<string, string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    private long _lengthSum;
    private int _minLength = int.MaxValue, _maxLength;

    protected override DataField CreateField() => new DataField<string>(Schema.Name, true);

    protected override bool TryAdd(ReadOnlySpan<char> span, CanonicalColumn canonical)
    {
        var cell = Intern(span);
        _values.Current[Count] = cell;
        canonical.Text(span);
        Category = cell;
        _frequent.Add(cell);
        _lengthSum += cell.Length;
        if (cell.Length < _minLength) _minLength = cell.Length;
        if (cell.Length > _maxLength) _maxLength = cell.Length;
        return true;
    }

    private string Intern(ReadOnlySpan<char> span)
    {
        if (_interned.TryGetValue(span, out var known))
            return known;
        var cell = new string(span);
        if (_interned.Dictionary.Count < Interned)
            _interned.Dictionary[cell] = cell;
        return cell;
    }

    protected override void AddMissing() => _values.Current[Count] = null;

    public override Func<ParquetRowGroupWriter, CancellationToken, Task> TakeChunk()
    {
        var (values, count) = Take(_values);
        return (group, ct) => group.WriteAsync(Field, new ArraySegment<string?>(values, 0, count)!);
    }

    public override ColumnProfile Profile() => Base((int)_frequent.Distinct, _frequent.Exact) with
    {
        TopValues = Top(_frequent.Counts, v => v, Schema.Type == ColumnType.Categorical ? CategoricalLevels : TopValues),
        TextLength = Present == 0 || Schema.Type != ColumnType.Text ? null : new TextLength(_minLength, _lengthSum / (double)Present, _maxLength),
    };

    public static IReadOnlyList<ValueCount> Top<T>(IReadOnlyDictionary<T, long> counts, Func<T, string> text, int take = TopValues) where T : notnull =>
        counts.Select(kv => new ValueCount(text(kv.Key), (int)kv.Value))
            .OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Take(take).ToList();
}
