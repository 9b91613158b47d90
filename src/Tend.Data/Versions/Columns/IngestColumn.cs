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
internal abstract class IngestColumn(ColumnSchema schema)
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

    /// <summary>What the column is validated against (the previous version's schema, with tend.yaml's overrides).</summary>
    public ColumnSchema? Expected
    {
        get => _expected;
        set
        {
            _expected = value;
            _domain = value is { Type: ColumnType.Categorical, Domain: { } domain } ? domain.ToHashSet(StringComparer.Ordinal) : null;
        }
    }

    public long Unseen => _unseen;
    public List<string> UnseenExamples { get; } = [];
    public long OutOfRange { get; private set; }

    private long _mismatches, _unseen;
    private ColumnSchema? _expected;
    private HashSet<string>? _domain;

    protected int Count { get; set; }

    /// <summary>The column's Parquet field; the same instance for the schema and every chunk, as the writer requires.</summary>
    public DataField Field => _field ??= CreateField();

    private DataField? _field;

    protected abstract DataField CreateField();

    public void Add(string? cell, in SourceRow row, CanonicalRow canonical)
    {
        Number = null;
        Category = null;
        if (cell is not null && TryAdd(cell, canonical))
        {
            Present++;
            if (_expected is not null)
                Check(cell, row);
        }
        else
        {
            if (cell is not null)
                Note(MismatchExamples, cell, row, ref _mismatches);
            Missing++;
            AddMissing();
            canonical.Missing();
        }
        Count++;
    }

    private void Check(string cell, in SourceRow row)
    {
        if (_expected!.Type != Schema.Type && !Parses(_expected.Type, cell))
            Note(MismatchExamples, cell, row, ref _mismatches);
        if (_domain is not null && !_domain.Contains(cell))
            Note(UnseenExamples, cell, row, ref _unseen);
        if (Number is { } x && _expected.Type.IsNumber() && (x < _expected.Min || x > _expected.Max))
            OutOfRange++;
    }

    private static void Note(List<string> examples, string cell, in SourceRow row, ref long count)
    {
        count++;
        if (examples.Count < ExampleCount)
            examples.Add($"line {row.Line}: '{(cell.Length <= 40 ? cell : cell[..40] + "…")}'");
    }

    private static bool Parses(ColumnType type, string cell) => type switch
    {
        ColumnType.Numeric => Cells.TryNumber(cell, out _),
        ColumnType.Integer => Cells.TryInteger(cell, out _),
        ColumnType.Boolean => Cells.TryBoolean(cell, out _),
        ColumnType.DateTime => Cells.TryDateTime(cell, out _),
        _ => true,
    };

    protected abstract bool TryAdd(string cell, CanonicalRow canonical);

    protected abstract void AddMissing();

    /// <summary>Writes the buffered rows as one column chunk of the current row group and empties the buffer.</summary>
    public abstract Task FlushAsync(ParquetRowGroupWriter writer, CancellationToken ct);

    public abstract ColumnProfile Profile();

    protected ColumnProfile Base(int distinct, bool exact = true) =>
        new(schema.Name, schema.Type, (int)Present, (int)Missing, distinct, DistinctExact: exact, LabelAssociation: Association?.Result());

    public static IngestColumn For(ColumnSchema schema, int capacity) => schema.Type switch
    {
        ColumnType.Numeric => new NumberColumn(schema, capacity),
        ColumnType.Integer => new IntegerColumn(schema, capacity),
        ColumnType.Boolean => new BooleanColumn(schema, capacity),
        ColumnType.DateTime => new DateColumn(schema, capacity),
        _ => new TextColumn(schema, capacity),
    };
}
