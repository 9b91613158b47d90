using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Profiling;
using Tend.Data.Sources;
using Tend.Data.Tabular;

namespace Tend.Data.Versions.Columns;

/// <summary>
/// One column during ingest: parses each cell to its type, buffers a row group for Parquet, writes the canonical form,
/// and profiles as it goes. A cell that does not parse is counted (with examples) and stored as missing.
/// </summary>
internal abstract class IngestColumn(ColumnSchema schema, int capacity) : IDisposable
{
    public const int ExampleCount = 3;

    public ColumnSchema Schema => schema;
    public long Missing { get; private set; }
    public long Present { get; private set; }
    public long Mismatches => _mismatches;
    public List<string> MismatchExamples { get; } = [];

    /// <summary>The current row's value as a number (numbers, booleans as 0/1) or a category (categorical, boolean, text).</summary>
    public double? Number { get; protected set; }
    public string? Category { get; protected set; }

    public Association? Association { get; set; }

    /// <summary>This column's part of the canonical form, and its cells' hashes for the current batch.</summary>
    public CanonicalColumn Canonical { get; } = new(capacity);

    /// <summary>The label column keeps each row's number and category of the batch, for the other columns' association with it.</summary>
    public bool KeepValues
    {
        get => _numbers is not null;
        set => (_numbers, _categories) = value ? (new double?[capacity], new string?[capacity]) : (null, null);
    }

    private double?[]? _numbers;
    private string?[]? _categories;

    /// <summary>What the column is validated against (the previous version's schema, with tend.yaml's overrides).</summary>
    public ColumnSchema? Expected
    {
        get => _expected;
        set
        {
            _expected = value;
            _domain = value is { Type: ColumnType.Categorical, Domain: { } domain } ? domain.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>() : null;
        }
    }

    public long Unseen => _unseen;
    public List<string> UnseenExamples { get; } = [];
    public long OutOfRange { get; private set; }

    private long _mismatches, _unseen;
    private ColumnSchema? _expected;
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>>? _domain;

    protected int Count { get; set; }

    /// <summary>The column's Parquet field; the same instance for the schema and every chunk, as the writer requires.</summary>
    public DataField Field => _field ??= CreateField();

    private DataField? _field;

    protected abstract DataField CreateField();

    /// <summary>
    /// Takes this column's cells of a batch (column <paramref name="index"/>) and ends the batch of its canonical form.
    /// With <paramref name="label"/>, also accumulates the association with the label's values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddBatch(CellBatch batch, int index, IngestColumn? label)
    {
        var association = label is null ? null : Association;
        for (var r = 0; r < batch.Count; r++)
        {
            Add(batch.Cell(index, r), batch.IsMissing(index, r), batch.Lines[r]);
            if (_numbers is not null)
                (_numbers[r], _categories![r]) = (Number, Category);
            association?.Add(Number, Category, label!._numbers![r], label._categories![r]);
        }
        Canonical.EndBatch();
    }

    private void Add(ReadOnlySpan<char> cell, bool missing, long line)
    {
        Number = null;
        Category = null;
        if (!missing && TryAdd(cell, Canonical))
        {
            Present++;
            if (_expected is not null)
                Check(cell, line);
        }
        else
        {
            if (!missing)
                Note(MismatchExamples, cell, line, ref _mismatches);
            Missing++;
            AddMissing();
            Canonical.Missing();
        }
        Count++;
    }

    private void Check(ReadOnlySpan<char> cell, long line)
    {
        if (_expected!.Type != Schema.Type && !Parses(_expected.Type, cell))
            Note(MismatchExamples, cell, line, ref _mismatches);
        if (_domain is { } domain && !domain.Contains(cell))
            Note(UnseenExamples, cell, line, ref _unseen);
        if (Number is { } x && _expected.Type.IsNumber() && (x < _expected.Min || x > _expected.Max))
            OutOfRange++;
    }

    private static void Note(List<string> examples, ReadOnlySpan<char> cell, long line, ref long count)
    {
        count++;
        if (examples.Count < ExampleCount)
            examples.Add($"line {line}: '{(cell.Length <= 40 ? cell.ToString() : cell[..40].ToString() + "…")}'");
    }

    private static bool Parses(ColumnType type, ReadOnlySpan<char> cell) => type switch
    {
        ColumnType.Numeric => Cells.TryNumber(cell, out _),
        ColumnType.Integer => Cells.TryInteger(cell, out _),
        ColumnType.Boolean => Cells.TryBoolean(cell, out _),
        ColumnType.DateTime => Cells.TryDateTime(cell, out _),
        _ => true,
    };

    protected abstract bool TryAdd(ReadOnlySpan<char> cell, CanonicalColumn canonical);

    protected abstract void AddMissing();

    /// <summary>
    /// Hands over the buffered rows as one column chunk, to be written to a row group while ingest goes on in the other
    /// buffer, and empties the buffer.
    /// </summary>
    public abstract Func<ParquetRowGroupWriter, CancellationToken, Task> TakeChunk();

    /// <summary>The buffered values and their count, the buffer swapped for the other and the count restarted.</summary>
    protected (T[] Values, int Count) Take<T>(ChunkBuffer<T> buffer)
    {
        var count = Count;
        Count = 0;
        return (buffer.Swap(), count);
    }

    public abstract ColumnProfile Profile();

    protected ColumnProfile Base(int distinct, bool exact = true) =>
        new(schema.Name, schema.Type, (int)Present, (int)Missing, distinct, DistinctExact: exact, LabelAssociation: Association?.Result());

    public void Dispose() => Canonical.Dispose();

    public static IngestColumn For(ColumnSchema schema, int capacity) => schema.Type switch
    {
        ColumnType.Numeric => new NumberColumn(schema, capacity),
        ColumnType.Integer => new IntegerColumn(schema, capacity),
        ColumnType.Boolean => new BooleanColumn(schema, capacity),
        ColumnType.DateTime => new DateColumn(schema, capacity),
        _ => new TextColumn(schema, capacity),
    };
}
