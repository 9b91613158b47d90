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
        var slots = Indexes(table, Prepared.Slots.Select(s => s.Column));
        var oneHot = Indexes(table, OneHot.Select(c => c.Column));
        var hashed = Indexes(table, Hashed.Select(c => c.Column));
        var text = Indexes(table, Prepared.Text);
        var label = table.IndexOf(Layout.Label);
        return table.Rows.Select((row, i) =>
        {
            var input = new ModelInput
            {
                Numeric = Prepared.Slots.Select((slot, k) => slot.Apply(slot.Read(row[slots[k]], i))).ToArray(),
                Categorical = OneHot.Select((c, k) => c.Category(row[oneHot[k]])).ToArray(),
                Hashed = Hashed.Select((c, k) => c.Category(row[hashed[k]])).ToArray(),
                Text = text.Select(k => row[k] ?? "").ToArray(),
            };
            if (label >= 0 && row[label] is { } value)
                SetLabel(input, value, i);
            return input;
        });
    }

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

    private int[] Indexes(Table table, IEnumerable<string> columns) => columns.Select(c =>
    {
        var index = table.IndexOf(c);
        return index >= 0 ? index : throw TendException.InvalidData($"column '{c}' is missing; the model needs: {string.Join(", ", Layout.Features)}");
    }).ToArray();
}
