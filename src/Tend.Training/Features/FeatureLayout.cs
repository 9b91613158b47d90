using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Training.Features;

/// <summary>
/// The model's signature: which columns feed it as numbers, booleans, categories, date parts and text, what it
/// predicts, (once fitted) the <see cref="Preparation"/> learned from the training rows, and what serving checks
/// requests against: the features the data never left missing, and the categories it held (null in signatures of
/// models saved before these were kept).
/// </summary>
public sealed record FeatureLayout(
    MlTask Task,
    string Label,
    string? PositiveClass,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> Numeric,
    IReadOnlyList<string> Boolean,
    IReadOnlyList<string> Categorical,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Dates,
    IReadOnlyList<string> Text,
    IReadOnlyList<string> Ignored,
    Preparation? Prepared = null,
    IReadOnlyList<string>? NeverMissing = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? KnownCategories = null)
{
    /// <summary>The fields a request must carry.</summary>
    public IEnumerable<string> Features => Numeric.Concat(Boolean).Concat(Categorical).Concat(Dates.Keys).Concat(Text);

    /// <summary>
    /// Numbers and booleans feed the model as numbers, categories encoded; dates only as the parts <c>prepare.dates</c>
    /// names and free text only where <c>prepare.text</c> lists it (a listed categorical column is featurized as text);
    /// every other column is ignored and said so.
    /// </summary>
    public static FeatureLayout From(DataSchema schema, ProjectSpec spec, IEnumerable<string?> labels)
    {
        var label = schema.Find(spec.Label)
            ?? throw TendException.InvalidData($"label column '{spec.Label}' (tend.yaml 'label') is not in the data; columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}");
        var features = schema.Columns.Where(c => c.Name != label.Name).ToList();
        var prepare = spec.PrepareOrDefault;
        PrepareColumns.Check(prepare, features, label.Name);
        IReadOnlyList<string> classes = spec.Task == MlTask.Regression ? [] : labels.Where(l => l is not null).Select(l => l!).Distinct().Order(StringComparer.Ordinal).ToList();
        if (spec.Task == MlTask.Regression && !label.Type.IsNumber())
            throw TendException.InvalidData($"label column '{label.Name}' must be numeric for a regression task; it is {label.Type.Text()}");
        if (spec.Task == MlTask.Binary)
        {
            if (classes.Count != 2)
                throw TendException.InvalidData($"a binary task needs exactly 2 label values in '{label.Name}'; found {classes.Count}: {string.Join(", ", classes.Take(10))}");
            if (spec.PositiveClass is { } positive && !classes.Contains(positive))
                throw TendException.InvalidData($"positive_class '{positive}' (tend.yaml) is not a value of '{label.Name}'; values: {string.Join(", ", classes)}");
        }
        if (spec.Task == MlTask.Multiclass && classes.Count < 2)
            throw TendException.InvalidData($"a multiclass task needs at least 2 label values in '{label.Name}'; found {classes.Count}");

        var text = prepare.Text ?? [];
        var dates = features.Where(c => prepare.Dates?.ContainsKey(c.Name) == true).ToDictionary(c => c.Name, c => prepare.Dates![c.Name]);
        List<string> Names(Func<ColumnSchema, bool> which) => features.Where(c => !text.Contains(c.Name) && which(c)).Select(c => c.Name).ToList();
        return new FeatureLayout(spec.Task, label.Name, spec.Task == MlTask.Binary ? spec.PositiveClass ?? classes[^1] : null, classes,
            Names(c => c.Type.IsNumber()), Names(c => c.Type == ColumnType.Boolean), Names(c => c.Type == ColumnType.Categorical),
            dates, features.Where(c => text.Contains(c.Name)).Select(c => c.Name).ToList(),
            Names(c => c.Type is ColumnType.Text or ColumnType.DateTime && !dates.ContainsKey(c.Name)))
        {
            // What serving checks requests against: a null where the data never had one, a category it never saw.
            NeverMissing = features.Where(c => !c.Nullable).Select(c => c.Name).ToList(),
            KnownCategories = features.Where(c => c.Type == ColumnType.Categorical && !text.Contains(c.Name) && c.Domain is not null)
                .ToDictionary(c => c.Name, c => c.Domain!),
        };
    }
}
