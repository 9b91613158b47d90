using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Training.Features;

/// <summary>The model's signature: which columns feed it as numbers, which as categories, and what it predicts.</summary>
public sealed record FeatureLayout(
    MlTask Task,
    string Label,
    string? PositiveClass,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> Numeric,
    IReadOnlyList<string> Boolean,
    IReadOnlyList<string> Categorical,
    IReadOnlyList<string> Ignored)
{
    public IEnumerable<string> Features => Numeric.Concat(Boolean).Concat(Categorical);

    /// <summary>Numbers and booleans feed the model as numbers, categories one-hot; free text and dates are left out for now.</summary>
    public static FeatureLayout From(DataSchema schema, ProjectSpec spec, IEnumerable<string?> labels)
    {
        var label = schema.Find(spec.Label)
            ?? throw TendException.InvalidData($"label column '{spec.Label}' (tend.yaml 'label') is not in the data; columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}");
        var features = schema.Columns.Where(c => c.Name != label.Name).ToList();
        IReadOnlyList<string> classes = spec.Task == MlTask.Regression ? [] : labels.Where(l => l is not null).Select(l => l!).Distinct().Order(StringComparer.Ordinal).ToList();
        if (spec.Task == MlTask.Regression && !label.Type.IsNumber())
            throw TendException.InvalidData($"label column '{label.Name}' must be numeric for a regression task; it is {label.Type.ToString().ToLowerInvariant()}");
        if (spec.Task == MlTask.Binary)
        {
            if (classes.Count != 2)
                throw TendException.InvalidData($"a binary task needs exactly 2 label values in '{label.Name}'; found {classes.Count}: {string.Join(", ", classes.Take(10))}");
            if (spec.PositiveClass is { } positive && !classes.Contains(positive))
                throw TendException.InvalidData($"positive_class '{positive}' (tend.yaml) is not a value of '{label.Name}'; values: {string.Join(", ", classes)}");
        }
        if (spec.Task == MlTask.Multiclass && classes.Count < 2)
            throw TendException.InvalidData($"a multiclass task needs at least 2 label values in '{label.Name}'; found {classes.Count}");
        return new FeatureLayout(spec.Task, label.Name, spec.Task == MlTask.Binary ? spec.PositiveClass ?? classes[^1] : null, classes,
            features.Where(c => c.Type.IsNumber()).Select(c => c.Name).ToList(), Names(features, ColumnType.Boolean), Names(features, ColumnType.Categorical),
            features.Where(c => c.Type is ColumnType.Text or ColumnType.DateTime).Select(c => c.Name).ToList());
    }

    private static List<string> Names(IEnumerable<ColumnSchema> columns, ColumnType type) =>
        columns.Where(c => c.Type == type).Select(c => c.Name).ToList();
}
