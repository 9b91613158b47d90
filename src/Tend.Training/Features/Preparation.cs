using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Profiling;
using Tend.Data.Tabular;

namespace Tend.Training.Features;

/// <summary>How one categorical column is encoded: one-hot over <see cref="Levels"/> (all training values when null), or hashed.</summary>
public sealed record CategoricalFeature(string Column, string Encoding, string? Fill = null, IReadOnlyList<string>? Levels = null)
{
    public const string OneHot = "one_hot";
    public const string Hashing = "hashing";

    /// <summary>The category the model sees: the cell, or the fill when missing; a level outside a capped one-hot encoding is seen as missing (no indicator set).</summary>
    public string Category(string? cell)
    {
        var value = cell ?? Fill ?? "";
        return Levels is null || Levels.Contains(value) ? value : "";
    }
}

/// <summary>
/// The column-wise steps of <c>prepare:</c> fitted on the training rows: the numeric slots (clip, impute, normalize),
/// the categorical encodings and the text columns. Saved in the model's signature, so serving applies the values
/// training learned and there is no train/serve skew.
/// </summary>
public sealed record Preparation(IReadOnlyList<NumericSlot> Slots, IReadOnlyList<CategoricalFeature> Categories, int HashBits, IReadOnlyList<string> Text)
{
    public IEnumerable<CategoricalFeature> Encoded(string encoding) => Categories.Where(c => c.Encoding == encoding);

    public static Preparation Fit(Table train, FeatureLayout layout, PrepareSpec prepare)
    {
        var slots = layout.Numeric.Select(c => new NumericSlot(c, SlotSource.Number))
            .Concat(layout.Boolean.Select(c => new NumericSlot(c, SlotSource.Boolean)))
            .Concat(layout.Dates.SelectMany(d => d.Value.Select(part => new NumericSlot(d.Key, SlotSource.DatePart, part))))
            .Select(slot => FitSlot(slot, train, prepare)).ToList();
        var encode = prepare.Encode ?? new EncodeSpec();
        var categories = layout.Categorical.Select(c => FitCategory(c, train, prepare, encode)).ToList();
        return new Preparation(slots, categories, encode.HashBits, layout.Text);
    }

    private static NumericSlot FitSlot(NumericSlot slot, Table train, PrepareSpec prepare)
    {
        var column = train.IndexOf(slot.Column);
        var raw = train.Rows.Select((r, i) => slot.Read(r[column], i)).ToArray();
        var present = raw.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (prepare.Clip?.GetValueOrDefault(slot.Column) is { } clip && present.Length > 0)
        {
            slot = slot with { Lower = Quantiles.Of(present, clip.Lower), Upper = Quantiles.Of(present, clip.Upper) };
            present = present.Select(slot.Clip).ToArray();
        }
        var impute = prepare.Impute?.GetValueOrDefault(slot.Column) ?? new ImputeSpec("mean");
        slot = slot with { Fill = Fill(slot, impute, present) };
        return prepare.Normalize?.GetValueOrDefault(slot.Column) is { } normalize ? Normalize(slot, normalize, raw) : slot;
    }

    /// <summary>The value a missing cell gets, as scikit-learn's SimpleImputer (most_frequent: the smallest of the modes); 0 for a column with no value at all.</summary>
    private static double Fill(NumericSlot slot, ImputeSpec impute, double[] sorted)
    {
        if (impute.Strategy == "constant")
            return slot.TryRead(impute.Value!, out var value) ? value
                : throw TendException.InvalidData($"'prepare.impute.{slot.Column}': constant '{impute.Value}' is not a value of the column");
        if (sorted.Length == 0)
            return 0;
        return impute.Strategy switch
        {
            "median" => Quantiles.Of(sorted, 0.5),
            "most_frequent" => sorted.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key,
            _ => sorted.Average(),
        };
    }

    /// <summary>Min-max to [0, 1] or z-score with the population standard deviation, as scikit-learn's MinMaxScaler and StandardScaler; a constant column is only shifted.</summary>
    private static NumericSlot Normalize(NumericSlot slot, string kind, double[] raw)
    {
        var values = raw.Select(slot.Filled).ToArray();
        if (kind == "min_max")
        {
            var (min, max) = (values.Min(), values.Max());
            return slot with { Offset = min, Scale = max > min ? 1 / (max - min) : 1 };
        }
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return slot with { Offset = mean, Scale = std > 0 ? 1 / std : 1 };
    }

    /// <summary>
    /// One-hot when the training rows hold at most <c>max_categories</c> values, hashing above, unless the column's
    /// encoding is named; a named one-hot keeps the <c>max_categories</c> most frequent values.
    /// </summary>
    private static CategoricalFeature FitCategory(string name, Table train, PrepareSpec prepare, EncodeSpec encode)
    {
        var column = train.IndexOf(name);
        var counts = train.Rows.Select(r => r[column]).OfType<string>().CountBy(v => v)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        var encoding = encode.Columns?.GetValueOrDefault(name) ?? (counts.Count > encode.MaxCategories ? CategoricalFeature.Hashing : CategoricalFeature.OneHot);
        var levels = encoding == CategoricalFeature.OneHot && counts.Count > encode.MaxCategories
            ? counts.Take(encode.MaxCategories).Select(p => p.Key).ToList()
            : null;
        var fill = prepare.Impute?.GetValueOrDefault(name) switch
        {
            { Strategy: "constant", Value: var value } => value,
            { Strategy: "most_frequent" } => counts.Count > 0 ? counts[0].Key : null,
            _ => null,
        };
        return new CategoricalFeature(name, encoding, fill, levels);
    }
}
