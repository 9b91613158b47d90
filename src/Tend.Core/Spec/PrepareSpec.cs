namespace Tend.Core.Spec;

/// <summary>
/// The <c>prepare:</c> section of tend.yaml. Row-wise steps (drop missing label, drop duplicates) apply to training data
/// only and are recorded; column-wise steps compile into the saved model, so serving applies exactly what training did.
/// </summary>
public sealed record PrepareSpec(
    bool DropMissingLabel = true,
    bool DropDuplicates = false,
    IReadOnlyDictionary<string, ImputeSpec>? Impute = null,
    IReadOnlyDictionary<string, ClipSpec>? Clip = null,
    IReadOnlyDictionary<string, string>? Normalize = null,
    EncodeSpec? Encode = null,
    IReadOnlyList<string>? Text = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Dates = null)
{
    public static readonly PrepareSpec Default = new();

    public static readonly string[] ImputeStrategies = ["mean", "median", "most_frequent", "constant"];
    public static readonly string[] NormalizeKinds = ["min_max", "z_score"];
    public static readonly string[] DateParts = ["year", "month", "day", "day_of_week", "hour"];

}

/// <summary>How to fill a column's missing values; <see cref="Value"/> for <c>constant</c>.</summary>
public sealed record ImputeSpec(string Strategy, string? Value = null);

/// <summary>Clip a numeric column to the training data's quantiles (e.g. 0.01 and 0.99).</summary>
public sealed record ClipSpec(double Lower, double Upper);

/// <summary>Categorical encoding: one-hot up to <see cref="MaxCategories"/> levels per column, hashing (2^<see cref="HashBits"/> slots) above.</summary>
public sealed record EncodeSpec(int MaxCategories = EncodeSpec.DefaultMaxCategories, int HashBits = EncodeSpec.DefaultHashBits, IReadOnlyDictionary<string, string>? Columns = null)
{
    public const int DefaultMaxCategories = 50;
    public const int DefaultHashBits = 8;
}
