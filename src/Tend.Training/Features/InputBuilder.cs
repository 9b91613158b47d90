using Microsoft.ML;
using Microsoft.ML.Data;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Tabular;

namespace Tend.Training.Features;

/// <summary>Turns rows of text cells into <see cref="ModelInput"/>s with the fitted preparation, the same way for training, evaluation and serving.</summary>
public sealed class InputBuilder(FeatureLayout layout)
{
    public FeatureLayout Layout { get; } = layout;

    private Preparation Prepared => Layout.Prepared ?? throw new InvalidOperationException("the layout's preparation is not fitted yet");

    private CategoricalFeature[] OneHot => field ??= Prepared.Encoded(CategoricalFeature.OneHot).ToArray();
    private CategoricalFeature[] Hashed => field ??= Prepared.Encoded(CategoricalFeature.Hashing).ToArray();

    /// <summary>The ML.NET schema with the vector sizes of this layout; an empty vector is left out.</summary>
    public SchemaDefinition SchemaDefinition
    {
        get
        {
            var definition = SchemaDefinition.Create(typeof(ModelInput));
            Size(definition, nameof(ModelInput.Numeric), NumberDataViewType.Single, Prepared.Slots.Count);
            Size(definition, nameof(ModelInput.Categorical), TextDataViewType.Instance, OneHot.Length);
            Size(definition, nameof(ModelInput.Hashed), TextDataViewType.Instance, Hashed.Length);
            Size(definition, nameof(ModelInput.Text), TextDataViewType.Instance, Prepared.Text.Count);
            return definition;
        }
    }

    private static void Size(SchemaDefinition definition, string column, PrimitiveDataViewType type, int size)
    {
        if (size > 0)
            definition[column].ColumnType = new VectorDataViewType(type, size);
        else
            definition.RemoveAll(c => c.ColumnName == column);
    }

    public IDataView ToDataView(MLContext ml, Table table) =>
        ml.Data.LoadFromEnumerable(FromTable(table).ToList(), SchemaDefinition);

    public IEnumerable<ModelInput> FromTable(Table table)
    {
        var at = PositionsIn(table.Columns);
        return table.Rows.Select((row, i) =>
        {
            var input = TryRead(row, at, out var failed) ?? throw TendException.InvalidData($"row {i + 1}, {Problem(row, at, failed)}");
            if (at.Label >= 0 && row[at.Label] is { } value)
                SetLabel(input, value, i);
            return input;
        });
    }

    /// <summary>
    /// Where each input of the model is among <paramref name="columns"/>; a missing one is an error naming it. Requests
    /// share one list of columns, so the last answer is kept for it.
    /// </summary>
    public Positions PositionsIn(IReadOnlyList<string> columns)
    {
        if (_last is { } last && ReferenceEquals(last.Columns, columns))
            return last.At;
        var at = Locate(columns);
        _last = new Located(columns, at);
        return at;
    }

    /// <summary>One reference, so a thread reads the columns and their positions of one call, never a torn pair.</summary>
    private sealed record Located(IReadOnlyList<string> Columns, Positions At);

    private Located? _last;

    private Positions Locate(IReadOnlyList<string> columns) => new(
        Indexes(columns, Prepared.Slots.Select(s => s.Column)), Indexes(columns, OneHot.Select(c => c.Column)),
        Indexes(columns, Hashed.Select(c => c.Column)), Indexes(columns, Prepared.Text), IndexOf(columns, Layout.Label));

    /// <summary>What is wrong with the cell of the slot <see cref="TryRead"/> failed on.</summary>
    public string Problem(string?[] row, Positions at, int failed) =>
        $"column '{Prepared.Slots[failed].Column}': expected {Prepared.Slots[failed].Expected}, found '{row[at.Slots[failed]]}'";

    /// <summary>
    /// One row of text cells as the model's input, each cell read once; null when a numeric, boolean or date cell is not
    /// of its kind, with the index of the slot that failed (else -1).
    /// </summary>
    public ModelInput? TryRead(string?[] row, Positions at, out int failed)
    {
        var slots = Prepared.Slots;
        var numeric = new float[slots.Count];
        for (var k = 0; k < numeric.Length; k++)
        {
            var cell = row[at.Slots[k]];
            var raw = double.NaN;
            if (cell is not null && !slots[k].TryRead(cell, out raw))
            {
                failed = k;
                return null;
            }
            numeric[k] = slots[k].Apply(raw);
        }
        failed = -1;
        return Input(numeric, row, at);
    }

    /// <summary>
    /// One row a server read without making text of its numbers: <paramref name="numbers"/> holds each numeric or boolean
    /// column's value (NaN when missing) and <paramref name="row"/> the text cells of the others, both by position in
    /// the columns <paramref name="at"/> was found in; the row was checked against the signature as it was read.
    /// </summary>
    public ModelInput Read(ReadOnlySpan<double> numbers, string?[] row, Positions at)
    {
        var slots = Prepared.Slots;
        var numeric = new float[slots.Count];
        for (var k = 0; k < numeric.Length; k++)
        {
            var column = at.Slots[k];
            numeric[k] = slots[k].Apply(slots[k].Source == SlotSource.DatePart ? slots[k].Read(row[column], 0) : numbers[column]);
        }
        return Input(numeric, row, at);
    }

    private ModelInput Input(float[] numeric, string?[] row, Positions at) => new()
    {
        Numeric = numeric,
        Categorical = OneHot.Length == 0 ? [] : OneHot.Select((c, k) => c.Category(row[at.OneHot[k]])).ToArray(),
        Hashed = Hashed.Length == 0 ? [] : Hashed.Select((c, k) => c.Category(row[at.Hashed[k]])).ToArray(),
        Text = at.Text.Length == 0 ? [] : at.Text.Select(k => row[k] ?? "").ToArray(),
    };

    /// <summary>The positions of the model's inputs in a table's columns (<see cref="Label"/> is -1 when absent).</summary>
    public sealed record Positions(int[] Slots, int[] OneHot, int[] Hashed, int[] Text, int Label);

    private void SetLabel(ModelInput input, string label, int row)
    {
        switch (Layout.Task)
        {
            case MlTask.Binary:
                input.LabelBool = label == Layout.PositiveClass;
                break;
            case MlTask.Multiclass:
                input.LabelText = label;
                break;
            default:
                input.LabelNumber = Cells.TryNumber(label, out var value) ? (float)value
                    : throw TendException.InvalidData($"row {row + 1}, label '{Layout.Label}': expected a number, found '{label}'");
                break;
        }
    }

    private int[] Indexes(IReadOnlyList<string> columns, IEnumerable<string> wanted) => wanted.Select(c =>
    {
        var index = IndexOf(columns, c);
        return index >= 0 ? index : throw TendException.InvalidData($"column '{c}' is missing; the model needs: {string.Join(", ", Layout.Features)}");
    }).ToArray();

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++)
            if (columns[i] == column) return i;
        return -1;
    }
}
